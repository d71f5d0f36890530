/**
 * CustomFieldDefinition → manifests (`tug export`): every definition the account owns, except tug's own
 * customer marker (tug plans that one itself). Defaults are left out (scope ACCOUNT, uiVisible and
 * uiEditable true, isInteger and multiSelect false), so the manifest says only what differs from them.
 */
import { compareText } from '../../core/canonical.js';
import type { ExportResult } from '../../core/kind.js';
import type { LiveState } from '../../core/state.js';
import type { ExportNames } from '../export-names.js';
import { written } from '../export-names.js';
import { TYPE_FIELDS } from './normalize.js';

export function exportDefinitions(live: LiveState, names: ExportNames): ExportResult {
  const result: ExportResult = { objects: [], skipped: [] };
  const definitions = [...live.definitions].sort((a, b) => compareText(a.key ?? '', b.key ?? '') || compareText(a.id, b.id));
  for (const d of definitions) {
    if (!names.exportsDefinition(d)) {
      if (d.owner === 'ACCOUNT' && d.key !== 'tugManaged')
        result.skipped.push({ kind: 'CustomFieldDefinition', liveId: d.id, label: d.key ?? d.title ?? d.id, reason: 'its key is not a valid manifest key' });
      continue;
    }
    const specific = new Set(TYPE_FIELDS[d.type] ?? []);
    const only = <T>(field: string, value: T) => (specific.has(field) ? value : undefined);
    const manifest = written({
      kind: 'CustomFieldDefinition',
      key: d.key,
      entityType: d.entityType,
      type: d.type,
      title: d.title,
      description: d.description,
      translations:
        d.translations.length > 0
          ? [...d.translations]
              .sort((a, b) => (a.language < b.language ? -1 : a.language > b.language ? 1 : 0))
              .map((t) => written({ language: t.language, title: t.title, description: t.description }))
          : undefined,
      scope: d.scopeType !== 'ACCOUNT' ? d.scopeType : undefined,
      uiVisible: d.uiVisible === false ? false : undefined,
      uiEditable: d.uiEditable === false ? false : undefined,
      minimum: only('minimum', d.minimum),
      maximum: only('maximum', d.maximum),
      isInteger: only('isInteger', d.isInteger === true ? true : undefined),
      unitSi: only('unitSi', d.unitSi),
      unitUs: only('unitUs', d.unitUs),
      minimumLength: only('minimumLength', d.minimumLength),
      maximumLength: only('maximumLength', d.maximumLength),
      pattern: only('pattern', d.pattern),
      options: only('allValues', d.allValues ?? undefined),
      multiSelect: only('multiSelect', d.multiSelect === true ? true : undefined),
      currency: only('currency', d.currency),
    });
    result.objects.push({ kind: 'CustomFieldDefinition', identity: d.key as string, liveId: d.id, manifest });
  }
  return result;
}
