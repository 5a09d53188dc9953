export type WordCounts = Record<string, number>;

/** Splits `text` into `parts` chunks of whole words, as even as possible (fewer words → empty chunks). */
export function splitIntoChunks(text: string, parts: number): string[] {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const size = Math.ceil(words.length / parts);
  return Array.from({ length: parts }, (_, index) => words.slice(index * size, (index + 1) * size).join(' '));
}

/** Lower-cased word frequencies, punctuation stripped. */
export function countWords(text: string): WordCounts {
  const counts: WordCounts = {};
  for (const raw of text.toLowerCase().split(/\s+/)) {
    const word = raw.replace(/[^\p{L}\p{N}']+/gu, '');
    if (word !== '') counts[word] = (counts[word] ?? 0) + 1;
  }
  return counts;
}

export function mergeCounts(parts: readonly WordCounts[]): WordCounts {
  const total: WordCounts = {};
  for (const part of parts) {
    for (const [word, count] of Object.entries(part)) total[word] = (total[word] ?? 0) + count;
  }
  return total;
}

/** The `limit` most frequent words, ties broken alphabetically. */
export function topWords(counts: WordCounts, limit: number): Array<[string, number]> {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, limit);
}
