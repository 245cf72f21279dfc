// The takeover page's connection to the live browser: a socket of its own that joins the task's room (the server
// checks the person may finish it), the latest frame, the page's URL and where the view stands; input goes back up.
import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { LiveFrame, LiveInput } from '../../../contracts/browser-live';
import {
  TAKEOVER_FRAME,
  TAKEOVER_INPUT,
  TAKEOVER_JOIN,
  TAKEOVER_STATE,
  type TakeoverJoinAck,
  type TakeoverState,
} from '../../../contracts/browser-takeover';

export interface TakeoverLive {
  frame?: LiveFrame;
  url?: string;
  live: TakeoverState['live'] | 'refused';
  message?: string;
}

/** Joins the live view of task `id` while `enabled`; returns what it shows and how to send input. */
export function useTakeover(id: string, enabled: boolean) {
  const [state, setState] = useState<TakeoverLive>({ live: 'connecting' });
  const socketRef = useRef<Socket>();

  useEffect(() => {
    if (!enabled) return;
    const socket = io({ withCredentials: true, transports: ['websocket'] });
    socketRef.current = socket;
    const join = () =>
      socket.emit(TAKEOVER_JOIN, { id }, (ack: TakeoverJoinAck) => {
        if (!ack.ok) setState({ live: 'refused', message: ack.error });
      });
    socket.on('connect', join);
    socket.on('connect_error', (err) => setState((s) => ({ ...s, live: 'unreachable', message: err.message })));
    socket.on(TAKEOVER_FRAME, (message: LiveFrame & { id: string }) => {
      if (message.id !== id) return;
      const { data, width, height } = message;
      setState((s) => ({ ...s, frame: { data, width, height }, live: s.live === 'connecting' ? 'live' : s.live }));
    });
    socket.on(TAKEOVER_STATE, (message: TakeoverState) => {
      if (message.id !== id) return;
      setState((s) => ({ ...s, live: message.live, url: message.url ?? s.url, message: message.message }));
    });
    return () => {
      socket.close();
      socketRef.current = undefined;
    };
  }, [id, enabled]);

  const send = useCallback((input: LiveInput) => socketRef.current?.emit(TAKEOVER_INPUT, { id, input }), [id]);
  return { state, send };
}
