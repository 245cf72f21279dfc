// The box at the bottom of the chat page: Enter sends, Shift+Enter starts a new line. The text stays when sending
// fails, so nothing typed is lost.
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_CHAT_MESSAGE } from './chat-state';

export function ChatComposer({
  placeholder,
  onSend,
}: {
  placeholder: string;
  /** Resolves true when the message was taken. */
  onSend(text: string): Promise<boolean>;
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const tooLong = text.length > MAX_CHAT_MESSAGE;

  const send = async () => {
    if (sending || !text.trim() || tooLong) return;
    setSending(true);
    const taken = await onSend(text);
    setSending(false);
    if (taken) setText('');
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void send();
  };

  return (
    <form className="chat-composer" onSubmit={onSubmit}>
      <textarea
        aria-label="Message"
        value={text}
        rows={Math.min(8, Math.max(1, text.split('\n').length))}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="btn primary" disabled={sending || !text.trim() || tooLong}>
        Send
      </button>
      {tooLong && (
        <p className="chat-composer-note error-text" role="alert">
          {text.length.toLocaleString('en-US')} characters: a message is at most{' '}
          {MAX_CHAT_MESSAGE.toLocaleString('en-US')}.
        </p>
      )}
    </form>
  );
}
