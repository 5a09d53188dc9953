/**
 * The regions an account may use (AWS: regions that need no opt-in or are opted in). Deploy,
 * planning and migration ask before they place anything, so a plan never targets a region the
 * account has not enabled.
 */
export interface EnabledRegions {
  /** The provider this answers for (`aws`); other providers' regions are not checked. */
  readonly provider: string;
  /** Region codes (`ca-central-1`) the account has enabled; read once, then cached. */
  list(): Promise<ReadonlySet<string>>;
}
