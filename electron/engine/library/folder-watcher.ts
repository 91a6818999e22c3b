import { watch, type FSWatcher } from 'chokidar';

/**
 * Watches a collection's folders and calls back once things settle, so a burst of saves (or a
 * folder copied in) triggers one incremental update rather than hundreds.
 */
export class FolderWatcher {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly onChange: () => void,
    private readonly debounceMs = 1500,
  ) {}

  watch(folders: string[]): void {
    this.close();
    if (folders.length === 0) return;
    this.watcher = watch(folders, {
      ignoreInitial: true,
      followSymlinks: true,
      ignored: (p: string) => /(^|[\\/])(\.git|node_modules|\.DS_Store)([\\/]|$)|[\\/]~\$[^\\/]*$/.test(p),
      awaitWriteFinish: { stabilityThreshold: 500, pollInterval: 100 },
    });
    const trigger = () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.onChange();
      }, this.debounceMs);
    };
    for (const ev of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) this.watcher.on(ev, trigger);
    // A folder that disappears or cannot be watched must not take the engine down.
    this.watcher.on('error', () => {});
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watcher?.close().catch(() => {});
    this.watcher = null;
  }
}
