import type { AdapterSpec, ModelInfo, PolicyView, SettingKey, Settings } from '../../shared/contract.js';

/**
 * What the engine asks of the admin policy before acting. Enforcement lives here, in the engine,
 * so a client that hides no control (the CLI, a script on the web host) is held to it too.
 */
export interface PolicyGate {
  view(): PolicyView;
  lockedKeys(): SettingKey[];
  /** User settings with the policy's locked values applied on top. */
  effectiveSettings(user: Settings): Settings;
  assertCanAddFolder(): void;
  assertCanDownload(): void;
  assertModelAllowed(path: string): Promise<void>;
  modelAllowed(model: Pick<ModelInfo, 'kind' | 'sha256' | 'name' | 'path'>): boolean;
  requiredAdapter(): AdapterSpec | null;
  /** The required adapter after checking its file against the policy's hash; throws when it does not match. */
  assertRequiredAdapter(): Promise<AdapterSpec | null>;
  /** Answer servers an admin allows and whether https is required off this machine; null: no rule. */
  remoteEngines(): { allowedUrls: string[]; requireTls: boolean } | null;
}
