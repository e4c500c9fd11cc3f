// Keyboard shortcuts for triage, and the help dialog that lists them (opened with "?").
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import { Modal } from '../ui.js';
import { t } from '../../shared/i18n.js';

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/**
 * Binds single-key shortcuts; ignored while a dialog is open, while typing in a field or with modifier keys.
 * The open dialog is read from the document at key time, so a key pressed right after closing one works.
 */
export function useShortcuts(keys: Record<string, () => void>): void {
  const ref = useRef(keys);
  ref.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || TYPING.has(target.tagName) || target.isContentEditable) return;
      if (document.querySelector('dialog[open]')) return;
      // Enter on a link or button keeps its own meaning.
      if (e.key === 'Enter' && (target.tagName === 'A' || target.tagName === 'BUTTON')) return;
      const fn = ref.current[e.key];
      if (fn) {
        e.preventDefault();
        fn();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

const LIST: [string, string][] = [['j', 'shortcuts.next'], ['k', 'shortcuts.prev'], ['Enter', 'shortcuts.open'], ['a', 'shortcuts.assign'], ['s', 'shortcuts.status'], ['?', 'shortcuts.help']];

/** The list of shortcuts in a modal dialog. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return html`<${Modal} title=${t('shortcuts.title')} onClose=${onClose}>
    <dl class="shortcuts">
      ${LIST.map(([k, label]) => html`<div><dt><kbd>${k}</kbd></dt><dd>${t(label)}</dd></div>`)}
    </dl>
  <//>`;
}
