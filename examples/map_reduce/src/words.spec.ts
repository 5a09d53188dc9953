import { describe, expect, it } from 'vitest';
import { countWords, mergeCounts, splitIntoChunks, topWords } from './words';

describe('map_reduce word helpers', () => {
  it('splits into whole-word chunks and pads with empty ones', () => {
    expect(splitIntoChunks('a b c d e f g', 4)).toEqual(['a b', 'c d', 'e f', 'g']);
    expect(splitIntoChunks('one two', 4)).toEqual(['one', 'two', '', '']);
    expect(splitIntoChunks('', 4)).toEqual(['', '', '', '']);
  });

  it('counts, merges and ranks words', () => {
    const counts = [countWords('The fox, the dog.'), countWords("the fox's end")];
    expect(counts[0]).toEqual({ the: 2, fox: 1, dog: 1 });
    const total = mergeCounts(counts);
    expect(total).toEqual({ the: 3, fox: 1, dog: 1, "fox's": 1, end: 1 });
    expect(topWords(total, 3)).toEqual([
      ['the', 3],
      ['dog', 1],
      ['end', 1],
    ]);
  });
});
