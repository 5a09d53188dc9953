/**
 * What a ledger entry can be. `failure-destination` and `sync-tables`: a region's on-failure
 * destination and its sync (fan-in and execution-marker) tables, on the framework's own ledger
 * row (shared by workflows). `log-group`: where the platform keeps a function's logs, created
 * with a retention (AWS). `repository`: where an image package is kept (an ECR repository).
 * `parameter` and `rule`: the remote framework's API key parameters and timer rules, on its own
 * ledger row with its function, role, log group and repository (AWS).
 * No imports: the stored-row schemas read this list too.
 */
export const LEDGER_RESOURCE_KINDS = ['function', 'role', 'failure-destination', 'sync-tables', 'log-group', 'repository', 'parameter', 'rule'] as const;

export type LedgerResourceKind = (typeof LEDGER_RESOURCE_KINDS)[number];
