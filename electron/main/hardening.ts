/**
 * App-wide guards, following Electron's security checklist: every web contents the app ever
 * creates (the window, and anything a compromised page might try to open) gets them, not only
 * the main window. Kept free of runtime Electron imports so they can be tested under Node.
 */
import type { App, Session, WebContents } from 'electron';

/** Our pages are served from app://lantern/ only. */
export const APP_ORIGIN = 'app://lantern/';

export function isAppUrl(url: string): boolean {
  return url.startsWith(APP_ORIGIN);
}

/** No webviews, no new windows, no navigation or redirect away from our pages. */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const block = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', block);
  contents.on('will-frame-navigate', (event) => block(event, event.url));
  contents.on('will-redirect', block);
}

/** The app needs no camera, microphone, notifications, geolocation…: every request and check says no. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function hardenApp(app: App): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}
