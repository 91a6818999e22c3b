/**
 * Ending the CLI without losing output. process.exit() does not wait for stdout: when stdout is a
 * pipe whose reader is slower than us (`lantern search … --json | wc -c`), whatever is still
 * queued is dropped. So exit only once both streams have handed everything to the OS.
 */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    // Writes complete in order: the callback of an empty write runs once everything before it is out.
    stream.write('', () => resolve());
  });
}

export async function exitWhenDrained(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

/** A reader that went away (`| head`) is not an error of ours: stop quietly. */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}
