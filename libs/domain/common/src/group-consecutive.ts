/**
 * Runs of consecutive items that share a key, in order: keys a a b a → [[a, a], [b], [a]].
 * Reports use it so that hours of a plan with the same placement are shown once.
 */
export function groupConsecutive<T>(items: Iterable<T>, keyOf: (item: T) => string): T[][] {
  const groups: T[][] = [];
  let lastKey: string | undefined;
  for (const item of items) {
    const key = keyOf(item);
    const last = groups.at(-1);
    if (last && key === lastKey) last.push(item);
    else groups.push([item]);
    lastKey = key;
  }
  return groups;
}
