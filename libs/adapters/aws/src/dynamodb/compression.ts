import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { DamagedStoredValueError } from '@caribou/ports';

/**
 * Compressed values (`put(..., {compress: true})`) are brotli, not the reference's zstd:
 * Node 20's zlib has no zstd and the framework ships no native addon. Quality 11 with the
 * text mode gets within a few percent of zstd level 21 on the JSON summaries we store.
 */
export function compressValue(value: string): Uint8Array {
  return brotliCompressSync(Buffer.from(value, 'utf8'), {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(value, 'utf8'),
    },
  });
}

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export function decompressValue(bytes: Uint8Array, table: string, key: string): string {
  if (ZSTD_MAGIC.every((byte, index) => bytes[index] === byte)) {
    throw new DamagedStoredValueError(
      table,
      key,
      'a zstd-compressed value written by the Python Caribou; this framework reads brotli only',
      'rewrite the item with this framework (e.g. re-run log_sync)',
    );
  }
  try {
    return brotliDecompressSync(bytes).toString('utf8');
  } catch (error) {
    throw new DamagedStoredValueError(table, key, `a binary value that is not brotli-compressed text: ${(error as Error).message}`);
  }
}
