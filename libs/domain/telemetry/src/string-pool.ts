/**
 * Strings cut from a log line with slice() are views into the whole line in V8: keeping a
 * run id keeps its ~400-byte line alive. A 30-day sync reads millions of lines, so every
 * string the aggregator keeps is copied out first. Names that repeat (instances, regions,
 * CPU models) are also shared, one copy each.
 */
export function detach(text: string): string {
  // Concatenation then slice makes V8 flatten into a fresh string that no longer points at the line.
  return (' ' + text).slice(1);
}

export class StringPool {
  private readonly strings = new Map<string, string>();

  intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    const copy = detach(text);
    this.strings.set(copy, copy);
    return copy;
  }
}
