/**
 * The app-wide guards of the Electron shell, driven the way Electron drives them: events on a
 * web contents, handlers on a session. (No Electron binary can be downloaded on these machines;
 * the objects below implement just the parts of the WebContents/Session/App API the guards use.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { App, Session, WebContents } from 'electron';
import { denyAllPermissions, guardWebContents, hardenApp } from './hardening.js';

class Contents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
  /** Fires an event the way Electron does and says whether a listener prevented it. */
  fire(name: string, url: string, extra: Record<string, unknown> = {}): boolean {
    let prevented = false;
    const event = { url, preventDefault: () => (prevented = true), ...extra };
    this.emit(name, event, url);
    return prevented;
  }
}

test('every web contents refuses webviews, new windows, and navigation or redirects away from app://lantern/', () => {
  const app = new EventEmitter();
  hardenApp(app as unknown as App);
  // A web contents created later (a window, or anything a page manages to create) is guarded too.
  const wc = new Contents();
  app.emit('web-contents-created', {}, wc);
  assert.equal(wc.fire('will-attach-webview', 'about:blank'), true, 'webview refused');
  assert.deepEqual(wc.openHandler?.({ url: 'https://example.com' }), { action: 'deny' });
  assert.deepEqual(wc.openHandler?.({ url: 'app://lantern/index.html' }), { action: 'deny' }, 'no new windows at all');
  for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
    assert.equal(wc.fire(event, 'https://evil.example/'), true, `${event} away is blocked`);
    assert.equal(wc.fire(event, 'file:///etc/passwd'), true, `${event} to a file is blocked`);
    assert.equal(wc.fire(event, 'app://lantern.evil/'), true, `${event} to a look-alike origin is blocked`);
    assert.equal(wc.fire(event, 'app://lantern/index.html#chat'), false, `${event} within the app is allowed`);
  }
});

test('permission requests, checks and device requests are all denied', async () => {
  const handlers: Record<string, (...args: unknown[]) => unknown> = {};
  const session = {
    setPermissionRequestHandler: (h: (...a: unknown[]) => unknown) => (handlers.request = h),
    setPermissionCheckHandler: (h: (...a: unknown[]) => unknown) => (handlers.check = h),
    setDevicePermissionHandler: (h: (...a: unknown[]) => unknown) => (handlers.device = h),
  };
  denyAllPermissions(session as unknown as Session);
  for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
    const answer = await new Promise<boolean>((resolve) => handlers.request({}, permission, resolve, {}));
    assert.equal(answer, false, `request ${permission}`);
    assert.equal(handlers.check({}, permission, 'app://lantern', {}), false, `check ${permission}`);
  }
  assert.equal(handlers.device({ deviceType: 'usb', origin: 'app://lantern' }), false);
});

test('the guards apply to a web contents given directly too (the main window before any event)', () => {
  const wc = new Contents();
  guardWebContents(wc as unknown as WebContents);
  assert.equal(wc.fire('will-navigate', 'https://evil.example/'), true);
});
