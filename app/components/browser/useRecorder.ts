// The recorder dialog's connection: a socket of its own for as long as the dialog is open (the server ends the
// session when it disconnects), the live frame, the steps recorded so far and the session's state.
import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { LiveFrame, LiveInput } from '../../../contracts/browser-live';
import {
  RECORDER_FRAME,
  RECORDER_GOTO,
  RECORDER_INPUT,
  RECORDER_PICK,
  RECORDER_START,
  RECORDER_STATUS,
  RECORDER_STEP,
  RECORDER_STOP,
  type RecordedStep,
  type RecorderAck,
  type RecorderFrameMessage,
  type RecorderPick,
  type RecorderStart,
  type RecorderStatusMessage,
  type RecorderStepMessage,
} from '../../../contracts/browser-recorder';

export type RecorderPhase = 'idle' | 'starting' | 'live' | 'ended';

export interface RecorderState {
  phase: RecorderPhase;
  frame?: LiveFrame;
  url: string;
  /** The page's title, once it loaded. */
  title?: string;
  picking: boolean;
  /** With `picking`: a list (extractMany) is being picked. */
  pickingList: boolean;
  /** The last thing that went wrong; cleared by the next navigation or start. */
  error?: string;
  /** Why the session ended. */
  ended?: string;
}

export function useRecorder(start: Omit<RecorderStart, 'url'>) {
  const [state, setState] = useState<RecorderState>({
    phase: 'idle',
    url: '',
    picking: false,
    pickingList: false,
  });
  const [steps, setSteps] = useState<RecordedStep[]>([]);
  const socketRef = useRef<Socket>();
  const sessionRef = useRef<string>();
  const startRef = useRef(start);
  startRef.current = start;

  useEffect(() => {
    const socket = io({ withCredentials: true, transports: ['websocket'] });
    socketRef.current = socket;
    // Frames can come before the start is acknowledged; the socket is this dialog's alone, so those are ours too.
    const ours = (message: { sessionId: string }) => !sessionRef.current || message.sessionId === sessionRef.current;
    socket.on(RECORDER_FRAME, (message: RecorderFrameMessage, ack?: () => void) => {
      ack?.();
      if (ours(message)) setState((s) => ({ ...s, frame: message.frame }));
    });
    socket.on(RECORDER_STEP, (message: RecorderStepMessage) => {
      if (ours(message)) setSteps((list) => [...list, message.step]);
    });
    socket.on(RECORDER_STATUS, (message: RecorderStatusMessage) => {
      if (!ours(message)) return;
      if (message.ended !== undefined) sessionRef.current = undefined;
      setState((s) => ({
        ...s,
        ...(message.url !== undefined ? { url: message.url } : {}),
        ...(message.title !== undefined ? { title: message.title } : {}),
        ...(message.picking !== undefined
          ? { picking: message.picking, pickingList: message.pickingList === true }
          : {}),
        ...(message.error !== undefined ? { error: message.error } : {}),
        ...(message.ended !== undefined ? { phase: 'ended' as const, ended: message.ended, picking: false } : {}),
      }));
    });
    socket.on('disconnect', () => {
      if (sessionRef.current)
        setState((s) =>
          s.phase === 'live' ? { ...s, phase: 'ended', ended: 'The connection to the server was lost.' } : s,
        );
      sessionRef.current = undefined;
    });
    return () => {
      socket.close();
      socketRef.current = undefined;
      sessionRef.current = undefined;
    };
  }, []);

  /** Opens the browser at `url`, or navigates the open one there. */
  const open = useCallback((url: string) => {
    const socket = socketRef.current;
    if (!socket) return;
    setState((s) => ({ ...s, error: undefined }));
    if (sessionRef.current) return void socket.emit(RECORDER_GOTO, { sessionId: sessionRef.current, url });
    setState((s) => ({ ...s, phase: 'starting', frame: undefined, ended: undefined, url }));
    socket
      .timeout(60_000)
      .emit(RECORDER_START, { ...startRef.current, url }, (err: Error | null, ack?: RecorderAck) => {
        if (err || !ack)
          return setState((s) => ({ ...s, phase: 'idle', error: 'The server did not answer; try again.' }));
        if (!ack.ok) return setState((s) => ({ ...s, phase: 'idle', error: ack.error }));
        sessionRef.current = ack.sessionId;
        setState((s) => ({ ...s, phase: 'live' }));
      });
  }, []);

  const send = useCallback((input: LiveInput) => {
    if (sessionRef.current) socketRef.current?.emit(RECORDER_INPUT, { sessionId: sessionRef.current, input });
  }, []);

  const setPicking = useCallback((on: boolean, list = false) => {
    const pick: RecorderPick | undefined = sessionRef.current ? { sessionId: sessionRef.current, on, list } : undefined;
    if (pick) socketRef.current?.emit(RECORDER_PICK, pick);
  }, []);

  const stop = useCallback(() => {
    if (sessionRef.current) socketRef.current?.emit(RECORDER_STOP, { sessionId: sessionRef.current });
    sessionRef.current = undefined;
  }, []);

  return { state, steps, setSteps, open, send, setPicking, stop };
}
