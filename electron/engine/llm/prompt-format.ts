import { resolveChatWrapper, type ChatHistoryItem, type ChatWrapper, type LlamaModel } from 'node-llama-cpp';
import { hasChatTemplate } from './gguf-inspect.js';

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

export interface PromptInput {
  system: string;
  history: Turn[];
  user: string;
}

/**
 * 'auto': the model's own chat template when its GGUF has one (every instruct model does), else a
 * plain completion prompt, since a base model (like stories260K) only continues text. 'chat'
 * forces node-llama-cpp's best guess at a chat format from the model's name and architecture.
 */
export type PromptFormat = 'auto' | 'chat' | 'completion';

/** The chat wrapper to render prompts with, or null for plain completion. */
export function chooseChatWrapper(model: LlamaModel, format: PromptFormat): ChatWrapper | null {
  if (format === 'completion') return null;
  if (format === 'auto' && !hasChatTemplate(model.fileInfo)) return null;
  return resolveChatWrapper(model, { warningLogs: false });
}

/** The conversation as node-llama-cpp chat history, ending with the empty answer to generate. */
export function chatHistory(input: PromptInput): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = [];
  if (input.system.trim()) items.push({ type: 'system', text: input.system });
  for (const t of input.history) items.push(t.role === 'user' ? { type: 'user', text: t.content } : { type: 'model', response: [t.content] });
  items.push({ type: 'user', text: input.user });
  items.push({ type: 'model', response: [] });
  return items;
}

/**
 * For base models without a chat template: instructions, earlier turns and the question as plain
 * text ending in "Answer:". With no instructions and no history the text is passed as is, so the
 * model simply continues it.
 */
export function completionPrompt(input: PromptInput): string {
  if (!input.system.trim() && input.history.length === 0) return input.user;
  const parts: string[] = [];
  if (input.system.trim()) parts.push(input.system.trim());
  for (const t of input.history) parts.push(t.role === 'user' ? `Question: ${t.content}` : `Answer: ${t.content}`);
  parts.push(input.user);
  return `${parts.join('\n\n')}\n\nAnswer:`;
}
