export { ResourceLedger } from './resource-ledger';
export type { LedgerEntry, LedgerRecord, LedgerResourceKind } from './resource-ledger';
export { removeLedgerResources } from './resource-remover';
export type { ResourceRemoverDeps } from './resource-remover';
