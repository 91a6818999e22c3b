import { existsSync } from 'node:fs';
import type { AppInfo } from '../../../shared/contract.js';
import { LanternError } from '../../core/errors.js';
import { browseFolders } from '../../folder-browser/browse-folders.js';
import type { EngineContext, Handlers } from '../engine-context.js';

export function appHandlers(ctx: EngineContext) {
  return {
    'app.info': async (): Promise<AppInfo> => ({
      name: 'Lantern',
      version: ctx.version,
      dataDir: ctx.dataDir,
      modelsDir: ctx.settings().modelsDir,
      transport: ctx.opts.transport,
      platform: process.platform,
      network: ctx.opts.network ?? false,
      policy: ctx.policy.view(),
      sampleLibraryPath: existsSync(ctx.samplePath) ? ctx.samplePath : null,
    }),
    // Only the Electron shell has native pickers; it answers this call itself.
    'app.pickPath': async () => ({ path: null, supported: false }),
    // The browser host's stand-in for a native folder picker.
    'fs.browse': (input) => browseFolders(input),
    'library.openSample': async () => {
      if (!existsSync(ctx.samplePath)) throw new LanternError('not-found', 'The sample library is not installed with this copy of Lantern.');
      for (const c of await ctx.library.list()) if (c.folders.some((f) => f.path === ctx.samplePath)) return c;
      const created = await ctx.library.create('Sample library');
      return ctx.library.addFolder({ collection: created.id, path: ctx.samplePath });
    },
  } satisfies Partial<Handlers>;
}
