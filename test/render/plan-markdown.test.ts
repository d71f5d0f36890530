import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/plan.js';
import { codeSpan, escapeMarkdown, fencedBlock, ZWJ } from '../../src/render/escape-markdown.js';
import { MARKDOWN_MAX_CHARS, renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { outsideCode } from '../support/markdown.js';
import {
  areaChanged,
  CONTACT,
  contactAddedBesideNamesake,
  contactFieldChanged,
  contactRemoved,
  contractItemMoved,
  hugePlan,
  makeChange,
  makePlan,
  optionsChanged,
  padded,
  samplePlan,
  warningOnlyPlan,
} from './plan-fixtures.js';

const EVIL = '<script>@admin **x** | y';

function sectionOrder(md: string, headings: string[]): number[] {
  return headings.map((h) => md.indexOf(h));
}

describe('escaping helpers', () => {
  it('escapes Markdown and HTML specials and breaks mentions and issue references', () => {
    expect(escapeMarkdown(EVIL)).toBe(`&lt;script&gt;@${ZWJ}admin \\*\\*x\\*\\* \\| y`);
    expect(escapeMarkdown('# [a](b) _c_ ~d~ !e. 1+2-3 `f` #12 a&b\nnext')).toBe(
      `\\#${ZWJ} \\[a\\]\\(b\\) \\_c\\_ \\~d\\~ \\!e\\. 1\\+2\\-3 \\\`f\\\` \\#${ZWJ}12 a&amp;b next`,
    );
  });

  it('makes code spans and fences that no backtick inside can close', () => {
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(fencedBlock(['+ "```"', '````'], 'diff')).toBe('`````diff\n+ "```"\n````\n`````');
  });
});

describe('renderPlanMarkdown', () => {
  it('renders a summary table, the deletes, and each kind folded with a diff', () => {
    const md = renderPlanMarkdown(samplePlan());
    expect(md).toContain('## tug plan: 1 to create, 2 to update, 1 to sync, 1 to delete\n');
    expect(md).toContain('| Kind | create | update | sync | delete |\n|:--|--:|--:|--:|--:|\n| CustomFieldDefinition | 0 | 1 | 0 | 0 |\n| Depot | 1 | 0 | 0 | 1 |\n');
    expect(md).toContain('### Deletes (1)\n\n- `Depot/old`\n');
    expect(md).toContain(
      '<details><summary>Customer: 1 to update</summary>\n\n```diff\n~ update Customer/CUST-1001\n-     address.city: "Vejle"\n+     address.city: "Aarhus"\n-     name: "Old"\n+     name: "New"\n      (manifests/customers.yaml:7)\n```\n\n</details>',
    );
    expect(md).toContain('+     options["Crane"]\n');
    expect(md).toContain('**Budget:** apply will make 5 API requests');
    expect(md).not.toContain('not shown');
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  });

  it('renders the empty plan', () => {
    const empty = makePlan([]);
    expect(renderPlanMarkdown(empty)).toBe(
      `<!-- tug-plan -->\n## tug plan: no changes\n\nNo changes. The account matches the manifests.\n\nPlan fingerprint: \`${empty.fingerprint}\`\n`,
    );
  });

  it('puts safety breaches first, then problems, then deletes, then other changes', () => {
    const plan = makePlan(samplePlan().changes, {
      problems: [{ kind: 'Customer', id: 'CUST-1', message: 'unknown depot', location: 'manifests/c.yaml:2:3', severity: 'error' }],
      safety: { ok: false, breaches: [{ rule: 'protected', kind: 'Depot', message: 'Depot/old is protected', changes: ['delete:Depot/old'] }] },
    });
    const md = renderPlanMarkdown(plan);
    const order = sectionOrder(md, ['### ⛔ Safety policy breached: apply will refuse this plan (exit 3)', '### Problems (1)', '### Deletes (1)', '### Changes']);
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain('- **protected** (Depot): these are protected and cannot be deleted: `old`');
    expect(md).toContain('- ❌ **error** `Customer/CUST-1`: unknown depot — `manifests/c.yaml:2:3`');
    expect(md).toContain('## ⛔ tug plan:');
  });

  it('renders every user-provided string inert', () => {
    const plan = makePlan(
      [
        makeChange('update', 'Customer', 'CUST-1', {
          before: { name: 'Acme' },
          after: { name: EVIL, [EVIL]: '```\n</details>' },
          notes: [`${EVIL}\n\`\`\`\n<img src=x onerror=alert(1)>`],
          reason: 'manifests/<b>@x.yaml:3',
        }),
        makeChange('delete', 'Customer', EVIL, { before: { name: EVIL }, notes: [`was ${EVIL}`] }),
      ],
      {
        problems: [{ kind: 'Customer', id: EVIL, message: `customer ${EVIL} clashes`, location: `${EVIL}:1:1`, severity: 'warning' }],
        unmanaged: [{ kind: 'Customer', liveId: 'c9', label: EVIL }],
        safety: { ok: false, breaches: [{ rule: 'max-updates', kind: 'Customer', message: `too many: ${EVIL}`, changes: [] }] },
      },
    );
    const md = renderPlanMarkdown(plan);
    const outside = outsideCode(md);
    expect(outside).not.toContain('<script');
    expect(outside).not.toContain('<img');
    expect(outside).not.toContain('**x**');
    expect(outside).not.toMatch(/@(?!\u200D)/);
    const tags = new Set(outside.match(/<[^>]*>/g));
    expect([...tags].sort()).toEqual(['<!-- tug-plan -->', '</details>', '</summary>', '<details>', '<summary>']);
    expect(outside).toContain(`customer &lt;script&gt;@${ZWJ}admin \\*\\*x\\*\\* \\| y clashes`);
    expect(outside.match(/<details>/g)?.length).toBe(outside.match(/<\/details>/g)?.length);
    expect(md).toContain('      note: <script>@admin **x** | y\\n```\\n<img src=x onerror=alert(1)>\n');
  });

  it('is deterministic', () => {
    expect(renderPlanMarkdown(hugePlan())).toBe(renderPlanMarkdown(hugePlan()));
  });

  it('keeps a 10,000-change plan under 60,000 characters and still names every delete', () => {
    const plan = hugePlan();
    expect(plan.changes).toHaveLength(10_000);
    const md = renderPlanMarkdown(plan);
    expect(md.length).toBeLessThan(MARKDOWN_MAX_CHARS);
    const lines = new Set(md.split('\n'));
    const deletes = plan.changes.filter((c) => c.op === 'delete');
    expect(deletes.length).toBeGreaterThanOrEqual(2000);
    expect(deletes.filter((c) => !lines.has(c.id))).toEqual([]);
    expect(md.indexOf('### ⛔ Safety policy breached')).toBeLessThan(md.indexOf('### Deletes (2,500)'));
    expect(md).toMatch(/_… [\d,]+ more changes not shown \(the full plan is in the plan file \/ CI artifact\)\._\n$/);
    expect(md).toContain('about 17 minutes');
    outsideCode(md);
  });

  it('stays under any limit; deletes beyond what fits are counted, never silently dropped', () => {
    const deletes: Change[] = Array.from({ length: 6000 }, (_, i) => makeChange('delete', 'Customer', padded('CUSTOMER-GONE-', i)));
    const md = renderPlanMarkdown(makePlan(deletes));
    expect(md.length).toBeLessThan(MARKDOWN_MAX_CHARS);
    const named = deletes.filter((c) => md.includes(`\n${c.id}\n`)).length;
    expect(named).toBeGreaterThan(2500);
    expect(md).toContain(`**${(6000 - named).toLocaleString('en-US')} more Customer deletes could not be named`);
    expect(md).toContain(`_… ${(6000 - named).toLocaleString('en-US')} deletes (named only in the plan file) not shown`);
    for (const maxChars of [2_000, 5_000, 20_000, 45_000]) {
      const small = renderPlanMarkdown(hugePlan(), { maxChars });
      expect(small.length, `maxChars ${maxChars}`).toBeLessThanOrEqual(maxChars);
      outsideCode(small);
    }
  });

  it('counts what it leaves out with a noun that agrees: "1 more field", "2 more fields"', () => {
    const fields = (n: number, v: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${String(i).padStart(2, '0')}`, v]));
    const one = renderPlanMarkdown(makePlan([makeChange('update', 'Customer', 'C', { before: fields(21, 'a'), after: fields(21, 'b') })]));
    expect(one).toContain('      … 1 more field (see the plan file)\n');
    const two = renderPlanMarkdown(makePlan([makeChange('update', 'Customer', 'C', { before: fields(22, 'a'), after: fields(22, 'b') })]));
    expect(two).toContain('      … 2 more fields (see the plan file)\n');
  });

  it('shortens long unmanaged labels without leaving a bracket open', () => {
    const label = 'Customer with a name long enough to need cutting in a comment (CUST-1234)';
    const md = renderPlanMarkdown(makePlan([], { unmanaged: [{ kind: 'Customer', liveId: 'c1', label }] }));
    expect(md).toContain(`- **Customer** (1): ${escapeMarkdown('Customer with a name long enough to need cuttin… (CUST-1234)')}\n`);
  });

  it('uses the rich delete list while it fits', () => {
    const plan = makePlan([makeChange('delete', 'Depot', 'old', { notes: ['3 assets lose their owning depot'] })]);
    expect(renderPlanMarkdown(plan)).toContain('- `Depot/old` — 3 assets lose their owning depot\n');
  });
});

/** The diff block of a plan holding just this change: its lines between the fences. */
function diffBlock(change: Change): string[] {
  const md = renderPlanMarkdown(makePlan([change]));
  const block = /```diff\n([\s\S]*?)\n```/.exec(md);
  expect(block, 'a diff block').not.toBeNull();
  return (block?.[1] ?? '').split('\n');
}

describe('renderPlanMarkdown: lists by identity, as the requests treat them', () => {
  it('names only the removed contact (one DELETE), never a rename', () => {
    expect(diffBlock(contactRemoved())).toEqual(['~ update Customer/CUST-1001', '-     contacts["Ops desk" (Night shift)]', '      (manifests/customers.yaml:1)']);
  });

  it('shows a contact added beside a same-named one as one addition', () => {
    expect(diffBlock(contactAddedBesideNamesake()).slice(1, -1)).toEqual([
      '+     contacts["Ops desk" (Weekend)]: {"email":"weekend@hansen-byg.dk","name":"Ops desk","phoneNumber":null,"title":"…',
    ]);
  });

  it("shows a contact's changed field under its name", () => {
    expect(diffBlock(contactFieldChanged()).slice(1, -1)).toEqual([
      '-     contacts["Mette Hansen"].email: "mette@hansen-byg.dk"',
      '+     contacts["Mette Hansen"].email: "mette.hansen@hansen-byg.dk"',
      '+     contacts["Jens Holm"]: {"email":"jens@hansen-byg.dk","name":"Jens Holm","phoneNumber":null,"title":nul…',
    ]);
  });

  it('says a contract item moves to the other contract', () => {
    expect(diffBlock(contractItemMoved()).slice(1, -1)).toEqual([
      '-     contractItems["K-2025-0042-1"].contract: "K-2025-0042"',
      '+     contractItems["K-2025-0042-1"].contract: "K-2025-0057"',
      '-     contractItems["K-2025-0042-1"].offRentDate: null',
      '+     contractItems["K-2025-0042-1"].offRentDate: "2025-06-30T00:00:00.000Z"',
    ]);
  });

  it('names a removed and an added dropdown option by value', () => {
    expect(diffBlock(optionsChanged()).slice(1, 3)).toEqual(['-     allValues["Compact"]', '+     allValues["Lifting"]']);
  });

  it('keeps lists without identity positional (polygon coordinates)', () => {
    expect(diffBlock(areaChanged()).slice(1, -1)).toEqual([
      '-     area.coordinates[0][2][1]: 56.2',
      '+     area.coordinates[0][2][1]: 56.25',
      '-     area.coordinates[0][3][0]: 10.1',
      '+     area.coordinates[0][3][0]: 10.15',
      '-     area.coordinates[0][3][1]: 56.1',
      '+     area.coordinates[0][3][1]: 56.3',
      '+     area.coordinates[0][4]: [10.1,56.1]',
    ]);
  });

  it('keeps identities inert and their control characters escaped', () => {
    const evil = (title: string) => ({ name: `${EVIL}\u009b2J\n\`\`\`\n</details>`, email: null, phoneNumber: null, title });
    const before = { contacts: [CONTACT.jens, evil('Day'), evil('@night\u001b[31m')] };
    const md = renderPlanMarkdown(makePlan([makeChange('update', 'Customer', 'C', { before, after: { contacts: [CONTACT.jens, evil('Day')] } })]));
    expect(md).toContain('-     contacts["<script>@admin **x** | y\\u009b2J\\n```\\n</details>" (@night\\u001b[31m)]\n');
    const outside = outsideCode(md);
    expect(outside).not.toContain('<script');
    expect(outside).not.toMatch(/@(?!\u200D)/);
    expect(md).not.toMatch(/[\u001b\u009b]/);
  });
});

describe('renderPlanMarkdown: the summary', () => {
  it('does not claim the account matches when warnings say it may not', () => {
    const md = renderPlanMarkdown(warningOnlyPlan());
    expect(md).toContain('## tug plan: no changes\n\nNo changes planned, but 1 warning (see Problems): the account may still differ from the manifests.\n');
    expect(md).not.toContain('matches the manifests');
    expect(md).toContain('### Problems (1)');
  });
});
