/**
 * Sandboxed preload: exposes exactly the contract (call, on) plus the one thing a page cannot do
 * itself, turning a dropped file into its path. A sandboxed preload may only require 'electron',
 * so the channel names are repeated here (the contract's IPC_CALL and IPC_EVENT).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';

const IPC_CALL = 'lantern:call';
const IPC_EVENT = 'lantern:event';

contextBridge.exposeInMainWorld('lantern', {
  call: (name: string, input: unknown) => ipcRenderer.invoke(IPC_CALL, String(name), input),
  on: (event: string, listener: (payload: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, msg: { event: string; payload: unknown }) => {
      if (msg.event === event) listener(msg.payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.off(IPC_EVENT, handler);
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
