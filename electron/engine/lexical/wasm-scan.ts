/**
 * The analyzer's scans (analyzer.ts: scanAscii over unfolded text, scan over folded text) as a
 * tiny WebAssembly module, assembled from opcodes like the vector kernels (no toolchain) by
 * wasm-scan-assembler.ts. Its bytes are kept below, and a test checks they are exactly what that
 * source assembles (assembling in every process cost 5–9 ms of cold JavaScript).
 *
 * It reads the text's UTF-8, finds words, possessives, identifiers and camelCase parts exactly as
 * those scans do, and finds each term number in a word table of its own (open addressing over
 * linear memory). Only what needs JavaScript calls out: a word seen for the first time
 * (lower-casing, stop words, Porter stemming, term numbering) and the class of a character outside
 * ASCII met for the first time. Indexing a corpus is mostly these loops; as JavaScript they ran
 * interpreted, then were compiled on a background thread (often more than once), while this
 * module compiles once, cheaply, and runs fast from its first word.
 *
 * Memory: term numbers out (int32), the text's bytes, character classes of the Basic Multilingual
 * Plane (0: not yet known, else class + 1), the table's slots (see lookupBody in the assembler),
 * the bytes of words longer than 8 (ASCII capitals lower-cased). A call reads at most MAX_CHUNK
 * characters; the table is cleared when half full or out of byte room (it is a cache: term numbers
 * live in the analyzer). Positions given to the callbacks are those of the JavaScript string
 * (UTF-16 units), counted alongside the bytes.
 */

/** Characters one call reads at most: the caller cuts longer text at a space (where no token continues). */
export const MAX_CHUNK = 1 << 16;
export const OUT = 0; // MAX_CHUNK * 2 int32 term numbers: a character makes at most 1.5 terms
export const TEXT = MAX_CHUNK * 8; // MAX_CHUNK * 3 bytes: the UTF-8 of any MAX_CHUNK characters
export const CLASSES = TEXT + MAX_CHUNK * 3; // one byte per BMP code point
const SLOT_BITS = 17;
export const SLOTS = 1 << 20;
export const SLOT_COUNT = 1 << SLOT_BITS;
export const WORDS = SLOTS + SLOT_COUNT * 16;
export const WORD_BYTES = 1 << 20;
export const PAGES = (WORDS + WORD_BYTES) >> 16;

export interface WasmScan {
  /** The text's UTF-8 is written here (TextEncoder.encodeInto), MAX_CHUNK * 3 bytes long. */
  text: Uint8Array;
  /** Term numbers of the last scan, outCount() of them. */
  out: Int32Array;
  /**
   * scanAscii over the first `n` bytes of `text`: -1 when all were ASCII, else where the folded
   * scan goes on (a position in the text, where every character before is one byte).
   */
  scanAscii(n: number): number;
  /** scan over the first `n` bytes of `text`, the UTF-8 of folded text. */
  scanFolded(n: number): void;
  outCount(): number;
  /** Forgets every word (term numbers started afresh). */
  clear(): void;
}

/**
 * Instantiates the scanner. `learn(start, end)`: the term number of the word text[start, end)
 * (-1 for a stop word); `classify(codePoint)`: the analyzer's class of a character (0 none,
 * 1 number, 2 letter). Null where WebAssembly is not available.
 */
export function createWasmScan(learn: (start: number, end: number) => number, classify: (codePoint: number) => number): WasmScan | null {
  if (typeof WebAssembly === 'undefined') return null;
  let memory: WebAssembly.Memory;
  let exports: WebAssembly.Exports;
  try {
    memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
    ({ exports } = new WebAssembly.Instance(new WebAssembly.Module(wasmScanBytes()), { env: { learn, classify, memory } }));
  } catch {
    return null; // no WebAssembly here (or too little memory): the JavaScript scan does the work
  }
  const outCount = exports.outCount as WebAssembly.Global;
  return {
    text: new Uint8Array(memory.buffer, TEXT, MAX_CHUNK * 3),
    out: new Int32Array(memory.buffer, OUT, MAX_CHUNK * 2),
    scanAscii: exports.scanAscii as (n: number) => number,
    scanFolded: exports.scanFolded as (n: number) => void,
    outCount: () => outCount.value as number,
    clear: exports.clear as () => void,
  };
}

/** The module, as its bytes. */
export function wasmScanBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(WASM_SCAN, 'base64'));
}

/**
 * The module's bytes, as wasm-scan-assembler.ts assembles them (checked by wasm-scan.test.ts;
 * after changing the assembler, print the new ones with
 * `node --import tsx electron/engine/lexical/wasm-scan-assembler.ts`).
 */
const WASM_SCAN =
  'AGFzbQEAAAABIAVgAn9/AX9gBH9/f38Bf2ABfwF/YAAAYAV/f39/fwF/AisDA2VudgVsZWFybgAAA2VudghjbGFzc2lmeQACA2VudgZtZW1vcnkCAUBAAwgHAgQDAgICAQYVBH8BQQALfwFBAAt/AUEAC38BQQALBy0ECXNjYW5Bc2NpaQACCnNjYW5Gb2xkZWQABQVjbGVhcgAECG91dENvdW50AwAKmBQH/gQBDn9BfyEHAkACQANAIAEgAE8NAUGAgCAgAWotAAAhAiACQYABTw0CIAJBIHJB4QBrQRpJIAJBMGtBCklyQQBGBEAgAUEBaiEBDAELIAEhAyAHQQBIBEAgAyEHIAMhBSAMIQZBACEIC0HFu/KIeCEEQQAhCQJAA0AgAkHBAGtBGkkEQCACQSByIQIgCSABIANLciEJCyAEIAJzQZODgAhsIQQgAUEBaiEBIAEgAE8EQEEAIQIMAgtBgIAgIAFqLQAAIQIgAkGAAU8NBCACQSByQeEAa0EaSSACQTBrQQpJcg0ACwsgASENQQAhCiACQSdGIAFBAWogAElxBEBBgIAgIAFBAWpqLQAAQSByQeEAa0EaSQRAQQEhCiABQQFqIQECQANAIAEgAE8NAUGAgCAgAWotAAAhAiACQSByQeEAa0EaSUEARg0BIAFBAWohAQwACwsgASAASSACQYABT3ENBAsLIAMgDSAEIAMgDRADIQtBfyALSARAIAxBAnQgCzYCACAMQQFqIQwLIAkEQCADIA0gAyAMEAghDAsgCkEARiACQd8ARnEgAUEBaiAASXEEQEGAgCAgAUEBamotAAAhDiAOQYABTw0DIA5BIHJB4QBrQRpJIA5BMGtBCklyBEBBASEIIAFBAWohAQwCCwsgCARAQcW78oh4IQQgByEOAkADQCAOIA1PDQEgBEGAgCAgDmotAABBgIAgIA5qLQAAQcEAa0EaSUEFdHJzQZODgAhsIQQgDkEBaiEODAALCyAHIA0gBCAHIA0QAyELQX8gC0gEQCAMQQJ0IAs2AgAgDEEBaiEMCwtBfyEHDAALCyAMJABBfw8LIAYkACAFC7sEAgh/An4gASAAayEFIAJBgH5xIAVB/wEgBUH/AUkbciELIAVBCE0hDCAMBEBBgIAgIABqKQAAQYCAICAAaikAAEL//v379+/fv/8Ag0K//vz58+fPnz98QYCAICAAaikAAEL//v379+/fv/8Ag0KlypSp0qTJkiV8Qn+Fg0GAgCAgAGopAABCf4VCgIGChIiQoMCAf4ODQgKIhEJ/QcAAIAVBA3RrrYiDIQ0LIAJB//8HcSEGAkADQEGAgMAAIAZBBHRqIQcgBygCAEEARg0BIAcoAgAgC0YEQCAHKQAIIQ4gDARAIA4gDVEEQCAHKAIEDwsLIAxBAEYgDkIgiKcgBUZxBEBBgIDAASAOp2ohCEEAIQkCQANAIAkgBU8EQCAHKAIEDwtBgIAgIAAgCWpqLQAAQYCAICAAIAlqai0AAEHBAGtBGklBBXRyIAggCWotAABHDQEgCUEBaiEJDAALCwsLIAZBAWpB//8HcSEGDAALCyADIAQQACEKIwFBgIAETyMCIAVqQYCAwABLcgRAEAQgAkH//wdxIQYLQYCAwAAgBkEEdGohByAHIAs2AgAgByAKNgIEIAwEQCAHIA03AwgLIAxBAEYEQEGAgMABIwJqIQhBACEJAkADQCAJIAVPDQEgCCAJakGAgCAgACAJamotAABBgIAgIAAgCWpqLQAAQcEAa0EaSUEFdHI6AAAgCUEBaiEJDAALCyAHIwKtIAWtQiCGhDcDCCMCIAVqJAILIwFBAWokASAKCxkAQYCAwABBAEGAgIAB/AsAQQAkAUEAJAILngUBFX9BfyEFAkADQCABIABPDQEgARAGIQIjAyESIAIQB0EARgRAIAEgEmohASAOQQEgEkECdmpqIQ4MAQsgASEDIA4hDyAFQQBIBEAgAyEFIA4hEEEAIQYLQcW78oh4IQRBACEHQQEhCAJAA0AgAkHBAGtBGkkEQCAHIAEgA0tyIQcLIAJBgAFPBEBBACEIC0EAIQ0DQCAEQYCAICABIA1qai0AAEGAgCAgASANamotAABBwQBrQRpJQQV0cnNBk4OACGwhBCANQQFqIQ0gDSASSQ0ACyABIBJqIQEgDkEBIBJBAnZqaiEOIAEgAE8EQEF/IQIMAgsgARAGIQIjAyESIAIQB0EARw0ACwsgASEMIA4hEUEAIQkgAkEnRiACQZnAAEZyIAEgEmogAElxBEAgASASaiENIA5BAWohEyANEAYhFCMDIRUgFBAHQQJGBEACQANAIA0gFWohDSATQQEgFUECdmpqIRMgDSAATwRAQX8hFAwCCyANEAYhFCMDIRUgFBAHQQJGDQALCyANIQEgEyEOIBQhAiAVIRJBASEJCwsgAyAMIAQgDyAREAMhCkF/IApIBEAgC0ECdCAKNgIAIAtBAWohCwsgByAIcQRAIAMgDCAPIAsQCCELCyAJQQBGIAJB3wBGcSABQQFqIABJcQRAIAFBAWoQBhAHQQBHBEBBASEGIAFBAWohASAOQQFqIQ4MAgsLIAYEQEHFu/KIeCEEIAUhDQJAA0AgDSAMTw0BIARBgIAgIA1qLQAAQYCAICANai0AAEHBAGtBGklBBXRyc0GTg4AIbCEEIA1BAWohDQwACwsgBSAMIAQgECAREAMhCkF/IApIBEAgC0ECdCAKNgIAIAtBAWohCwsLQX8hBQwACwsgCyQAQX8LtQEBAX9BgIAgIABqLQAAIQEgAUGAAUkEQEEBJAMgAQ8LIAFB4AFJBEBBAiQDIAFBH3FBBnRBgYAgIABqLQAAQT9xcg8LIAFB8AFJBEBBAyQDIAFBD3FBDHRBgYAgIABqLQAAQT9xQQZ0ckGCgCAgAGotAABBP3FyDwtBBCQDIAFBB3FBEnRBgYAgIABqLQAAQT9xQQx0ckGCgCAgAGotAABBP3FBBnRyQYOAICAAai0AAEE/cXILYwEBfyAAQYABSQRAIABBIHJB4QBrQRpJQQF0IABBMGtBCklyDwsgAEGAgARPBEAgABABDwtBgIAsIABqLQAAIQEgAUEARgRAIAAQAUEBaiEBQYCALCAAaiABOgAACyABQQFrC4MDAQh/QYCAICAAai0AACEGIABBAWohBwJAA0AgByABTw0BQYCAICAHai0AACEIIAhBwQBrQRpJBEAgBkHhAGtBGkkgBkEwa0EKSXJBAEYgBEEAS3EEQCADDwsLIAhBwQBrQRpJBEAgBkHhAGtBGkkgBkEwa0EKSXIEQCAEQQFqIQRBASEFCwsgCEHBAGtBGklBAEYEQCAFQQFqIQULIAghBiAHQQFqIQcMAAsLIARBAEYgBUECSXIEQCADDwsgACEJQcW78oh4IQpBACEGIAAhBwJAA0BBACEIIAcgAUkEQEGAgCAgB2otAAAhCAsgByABRiAIQcEAa0EaSSAGQeEAa0EaSSAGQTBrQQpJcnFyBEAgCSAHIAogAiAJIABraiACIAcgAGtqEAMhC0F/IAtIBEAgA0ECdCALNgIAIANBAWohAwsgByEJQcW78oh4IQoLIAcgAUYNASAKIAggCEHBAGtBGklBBXRyc0GTg4AIbCEKIAghBiAHQQFqIQcMAAsLIAML';
