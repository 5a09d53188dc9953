import { CaribouWorkflow } from '@caribou/sdk';
import { countWords, mergeCounts, splitIntoChunks, topWords, type WordCounts } from './words';

/**
 * Word count as map-reduce:
 *
 *   splitter ──▶ mapper (chunk 0) ──▶
 *      │ ─────▶ mapper (chunk 1) ──▶  reducer (fan-in: merges all counts)
 *      │ ─────▶ mapper (chunk 2) ──▶
 *      └──────▶ mapper (chunk 3) ──▶
 *
 * Caribou builds the graph from the source, so the fan-out is four explicit calls (not a
 * loop): each becomes its own `mapper` instance, which the solver may place in a
 * different region. `reducer` calls `getPredecessorData`, making it the single sync
 * instance all four mappers feed.
 */
export const workflow = new CaribouWorkflow({ name: 'map_reduce', version: '0.0.1' });

export const MAPPERS = 4;

interface Chunk {
  index: number;
  text: string;
}

interface MapperResult {
  index: number;
  counts: WordCounts;
}

/** Accepts `{"text": "..."}`, a plain string, or either as a JSON string (`caribou run -a` sends a string). */
function readText(event: unknown): string {
  let value = event;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return value as string;
    }
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string') {
    return (value as { text: string }).text;
  }
  return '';
}

export const splitter = workflow.serverlessFunction({ name: 'splitter', entryPoint: true }, async (event: unknown) => {
  const chunks = splitIntoChunks(readText(event), MAPPERS);
  const chunk = (index: number): Chunk => ({ index, text: chunks[index] ?? '' });
  workflow.invokeServerlessFunction(mapper, chunk(0));
  workflow.invokeServerlessFunction(mapper, chunk(1));
  workflow.invokeServerlessFunction(mapper, chunk(2));
  workflow.invokeServerlessFunction(mapper, chunk(3));
  return { status: 200, chunks: chunks.length };
});

export const mapper = workflow.serverlessFunction({ name: 'mapper' }, async (chunk: Chunk) => {
  const result: MapperResult = { index: chunk.index, counts: countWords(chunk.text) };
  workflow.invokeServerlessFunction(reducer, result);
  return { status: 200, words: Object.keys(result.counts).length };
});

export const reducer = workflow.serverlessFunction({ name: 'reducer' }, async () => {
  const results = (await workflow.getPredecessorData()) as MapperResult[];
  const total = mergeCounts(results.map((result) => result.counts));
  const top = topWords(total, 10);
  console.log('top words', JSON.stringify(top));
  return { status: 200, mappers: results.length, distinctWords: Object.keys(total).length, top };
});
