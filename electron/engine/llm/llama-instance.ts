import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import { LanternError } from '../core/errors.js';

export type GpuChoice = 'auto' | false;

/** The last things llama.cpp complained about: its own reason for a failed load reaches the user. */
const recentLog: string[] = [];
const LOG_LINES = 30;

function remember(level: LlamaLogLevel, message: string): void {
  if (process.env.LANTERN_DEBUG_LLAMA) process.stderr.write(`[llama.cpp ${level}] ${message}\n`);
  if (level !== LlamaLogLevel.error && level !== LlamaLogLevel.warn) return;
  const line = message.trim();
  if (!line) return;
  recentLog.push(line);
  remembered++;
  if (recentLog.length > LOG_LINES) recentLog.shift();
}

let remembered = 0;

/** A position in llama.cpp's log, for logSince(). */
export function logMark(): number {
  return remembered;
}

/** llama.cpp's error and warning lines since `mark` (at most the last 30). */
export function logSince(mark: number): string[] {
  const n = Math.min(remembered - mark, recentLog.length);
  return n > 0 ? recentLog.slice(recentLog.length - n) : [];
}

const instances = new Map<string, Promise<Llama>>();

/**
 * One llama.cpp binding per GPU choice, shared by every runtime in the process: loading the
 * native library is slow (~1 s) and its backend is global anyway. Only the prebuilt binaries that
 * came with the npm package are used: never a build from source, never a download.
 */
export function sharedLlama(gpu: GpuChoice): Promise<Llama> {
  const key = String(gpu);
  let p = instances.get(key);
  if (!p) {
    p = getLlama({
      gpu,
      build: 'never',
      skipDownload: true,
      usePrebuiltBinaries: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.warn,
      logger: remember,
    }).catch((err: Error) => {
      instances.delete(key);
      throw new LanternError(
        'internal',
        `The local model engine (llama.cpp) could not start on this machine: ${err.message}. Reinstall Lantern; if it persists, this processor may not be supported.`,
      );
    });
    instances.set(key, p);
  }
  return p;
}
