import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One log file per data folder (`<data>/logs/lantern.log`), for what a user or admin needs when
 * something went wrong: engine start failures, worker crashes, unhandled rejections. Written
 * synchronously so the last line before a crash lands; rotated at 1 MB (one previous file kept).
 * Never receives questions, answers, document text or secrets.
 */
const MAX_BYTES = 1024 * 1024;
let file: string | null = null;

export function logFilePath(dataDir: string): string {
  return join(dataDir, 'logs', 'lantern.log');
}

export function openLog(dataDir: string): string {
  file = logFilePath(dataDir);
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  return file;
}

export function logLine(source: string, message: string): void {
  if (!file) return;
  try {
    if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(file, `${file}.1`);
    appendFileSync(file, `${new Date().toISOString()} [${source}] ${message.replace(/\s+$/, '')}\n`);
  } catch {
    /* logging must never become the failure */
  }
}

export function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}${err.stack ? `\n${err.stack.split('\n').slice(1, 6).join('\n')}` : ''}` : String(err);
}

/**
 * For an adapter's process (CLI, web host, Electron's engine process): unhandled rejections and
 * exceptions go to the log; an exception still ends the process (its state is unknown), a
 * rejection does not.
 */
export function logProcessFailures(source: string, onFatal?: (err: unknown) => void): void {
  process.on('unhandledRejection', (reason) => logLine(source, `unhandled rejection: ${describe(reason)}`));
  process.on('uncaughtException', (err) => {
    logLine(source, `uncaught exception: ${describe(err)}`);
    onFatal?.(err);
    process.exitCode = 1;
    setImmediate(() => process.exit(1));
  });
}
