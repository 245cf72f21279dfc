// Logical task queues (what a node spec names) and the concrete Temporal queue names they map to.
import type { TaskQueue } from '../nodes/define';

export const TASK_QUEUES: readonly TaskQueue[] = ['default', 'browser', 'gpu'];

/** `BATON_QUEUE_PREFIX` lets several installs (or test files) share one Temporal namespace. */
export function taskQueueName(queue: TaskQueue): string {
  return `${process.env.BATON_QUEUE_PREFIX ?? ''}baton-${queue}`;
}

/** The concrete name of every logical queue; the interpreter receives this map in its input. */
export function allTaskQueues(): Record<TaskQueue, string> {
  return { default: taskQueueName('default'), browser: taskQueueName('browser'), gpu: taskQueueName('gpu') };
}

/** Parses `default,browser` from the worker's `--queues` flag. */
export function parseQueues(list: string): TaskQueue[] {
  const queues = list
    .split(',')
    .map((q) => q.trim())
    .filter(Boolean);
  const unknown = queues.filter((q) => !TASK_QUEUES.includes(q as TaskQueue));
  if (unknown.length > 0 || queues.length === 0) {
    throw new Error(
      `Unknown task queue(s) "${unknown.join(', ') || list}": choose from ${TASK_QUEUES.join(', ')} (comma-separated).`,
    );
  }
  return [...new Set(queues)] as TaskQueue[];
}
