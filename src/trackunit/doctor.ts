/**
 * `tug doctor`'s checks, as data: configuration, credentials (a token), clock skew, and per API one
 * harmless read that proves the entitlement and validates the response against the shape the client
 * relies on. Rendering is the CLI's business; this module only runs the checks and reports.
 */
import type { ClientConfig } from './config.js';
import { ApiError } from './errors.js';
import type { TrackunitClient } from './client.js';
import type { EndpointProbe } from './endpoints/common.js';
import { SITES_PATH } from './endpoints/sites.js';
import type { MetricsSnapshot } from './metrics.js';
import { shapeMismatches } from './shapes.js';
import { TugError } from '../errors.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** Response fields that do not match the client's expectations (shape checks). */
  mismatches?: string[];
}

export interface DoctorReport {
  checks: CheckResult[];
  metrics: MetricsSnapshot;
  ok: boolean;
}

/** Clock skew beyond this is reported: token lifetimes and site status dates depend on it. */
const SKEW_WARN_MS = 30_000;

export function describeConfig(config: ClientConfig): CheckResult {
  const who = config.auth.flow === 'v2' ? `API key (v2 client credentials, scopes: ${config.auth.scopes.join(' ')})` : 'API user (v1 password grant)';
  return { name: 'configuration', status: 'ok', detail: `iris ${config.irisUrl}, auth ${config.authUrl}, ${who}` };
}

async function checkCredentials(client: TrackunitClient): Promise<CheckResult> {
  try {
    await client.authenticate();
    return { name: 'credentials', status: 'ok', detail: `token issued by ${client.config.authUrl}` };
  } catch (error) {
    const message = error instanceof TugError ? error.message : String(error);
    return { name: 'credentials', status: 'fail', detail: message };
  }
}

async function checkClock(client: TrackunitClient, now: () => number): Promise<CheckResult> {
  try {
    const sent = now();
    const response = await client.request({ family: 'sites', method: 'GET', path: SITES_PATH, query: { size: 1 } });
    const received = now();
    const serverDate = Date.parse(response.headers.date ?? '');
    if (Number.isNaN(serverDate)) return { name: 'clock', status: 'skip', detail: 'the server sent no Date header' };
    // The Date header truncates to whole seconds: the server's time was somewhere in [date, date + 1 s),
    // so compare the middle of that second with the middle of the round trip (else a request near the
    // end of a second reads as up to 1 s ahead, and a slow one as more).
    const skew = Math.round((sent + received) / 2 - (serverDate + 500));
    const detail = `local clock is ${Math.abs(skew) < 1000 ? 'within 1 s of' : `${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'ahead of' : 'behind'}`} the server`;
    return { name: 'clock', status: Math.abs(skew) > SKEW_WARN_MS ? 'warn' : 'ok', detail };
  } catch (error) {
    return { name: 'clock', status: 'skip', detail: `could not read the server time: ${(error as Error).message}` };
  }
}

/** Said next to the result of a read no public Trackunit material shows. */
function unverifiedNote(probe: EndpointProbe): string {
  return probe.unverified ? `; ${probe.unverified.read} is not in any public Trackunit documentation — tug assumes it ${probe.unverified.neededFor}` : '';
}

async function runProbe(client: TrackunitClient, probe: EndpointProbe): Promise<CheckResult> {
  const name = `${probe.api} API`;
  try {
    const sample = await probe.read(client);
    const mismatches = shapeMismatches(probe.schema, sample);
    if (mismatches.length === 0) return { name, status: 'ok', detail: `entitled; response shape as expected${unverifiedNote(probe)}` };
    return {
      name,
      status: 'warn',
      detail: `entitled, but ${mismatches.length} field${mismatches.length > 1 ? 's differ' : ' differs'} from what tug expects — please report them${unverifiedNote(probe)}`,
      mismatches,
    };
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      return { name, status: 'fail', detail: `not entitled (403 ${error.apiCode ?? 'forbidden'}): needs ${probe.entitlement}, and for API keys the matching scope` };
    }
    if (error instanceof ApiError && error.status === 404 && probe.unverified) {
      const { read, neededFor, without } = probe.unverified;
      return { name, status: 'fail', detail: `${read} answered 404: this server lacks the endpoint tug assumes ${neededFor} (no public Trackunit documentation shows it), so ${without}` };
    }
    const message = error instanceof TugError ? error.message : String(error);
    return { name, status: 'fail', detail: message };
  }
}

/** Run every check in order; API probes only once a token could be obtained. */
export async function runDoctor(client: TrackunitClient, probes: EndpointProbe[], now: () => number): Promise<DoctorReport> {
  const checks: CheckResult[] = [describeConfig(client.config)];
  const credentials = await checkCredentials(client);
  checks.push(credentials);
  if (credentials.status === 'ok') {
    checks.push(await checkClock(client, now));
    for (const probe of probes) checks.push(await runProbe(client, probe));
  } else {
    for (const probe of probes) checks.push({ name: `${probe.api} API`, status: 'skip', detail: 'skipped: no token' });
  }
  return { checks, metrics: client.metricsSnapshot(), ok: checks.every((c) => c.status !== 'fail') };
}
