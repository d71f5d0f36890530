/**
 * Objects made by hand whose names sort differently from one language to another ("Aa" and "Å" come
 * after "Z" in Danish, "Ø" before "Å" in Swedish): the plan lists them in one order wherever it is
 * made, so the plan file is byte-identical on every machine.
 */
import type { Store } from '../../../src/sandbox/store.js';

const STAMP = '2026-10-01T09:00:00.000Z';
const NAMES = ['Zealand Lift ApS', 'Aabenraa Maskinudlejning', 'Ørsted Byg', 'Århus Kran', 'Odder Entreprise'];

export default function setup(store: Store): void {
  for (const name of NAMES) {
    const id = store.newId();
    store.customers.set(id, { id, name, type: 'OTHER', externalReference: null, address: null, phoneNumber: null, email: null, website: null, createdAt: STAMP, updatedAt: STAMP });
  }
}
