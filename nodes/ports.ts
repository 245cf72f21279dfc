// A node's output ports: the spec's static ones, those that follow a list param (a Switch's rules), and the
// `error` output of a node whose policy routes failures there. Isomorphic: the canvas draws these handles from a
// spec description, the compiler checks edges and the interpreter checks routes against the same list.
import type { ListOutputs, NodePolicy, NodeSpec, PortSpec, ShowWhen } from './define';

/** The output a node with `policy.errorOutput` sends its `{ error }` output down when it fails. */
export const ERROR_PORT: PortSpec = { id: 'error', label: 'Error' };

export interface PortShape {
  outputs: readonly PortSpec[];
  listOutputs?: ListOutputs;
  conditionalOutputs?: ReadonlyArray<{ port: PortSpec; when: ShowWhen }>;
}

/**
 * The node's outputs. `param` reads a param's raw value with its default applied. A list param that is not a
 * list (an expression, or malformed) yields no list outputs: the compiler reports the param itself.
 */
export function outputPorts(
  shape: PortShape,
  param: (key: string) => unknown,
  policy?: Pick<Partial<NodePolicy>, 'errorOutput'>,
): PortSpec[] {
  const ports = [...shape.outputs];
  for (const { port, when } of shape.conditionalOutputs ?? []) {
    const value = param(when.param);
    if (typeof value === 'string' && when.oneOf.includes(value)) ports.push(port);
  }
  const list = shape.listOutputs;
  if (list) {
    const items = param(list.param);
    if (Array.isArray(items)) {
      items.forEach((item, i) => {
        const label = item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[list.labelKey] : '';
        ports.push({
          id: String(i),
          label: typeof label === 'string' && label.trim() !== '' ? label.trim() : `${list.labelPrefix} ${i + 1}`,
        });
      });
    }
    if (list.fallback && param(list.fallback.param) === true) ports.push(list.fallback.port);
  }
  if (policy?.errorOutput) ports.push(ERROR_PORT);
  return ports;
}

/** The outputs of a node of `spec` with `params` as written (defaults from the spec) and `policy`. */
export function nodeOutputPorts(
  spec: PortShape & { params: Record<string, { default?: unknown }> },
  params: Record<string, unknown>,
  policy?: Pick<Partial<NodePolicy>, 'errorOutput'>,
): PortSpec[] {
  return outputPorts(spec, (key) => (params[key] !== undefined ? params[key] : spec.params[key]?.default), policy);
}

/** Whether a node whose last attempt failed goes on with an `{ error }` output instead of failing the run. */
export function goesOnAfterFailure(policy: Pick<NodePolicy, 'continueOnFail' | 'errorOutput'>): boolean {
  return policy.continueOnFail || policy.errorOutput === true;
}

/** The output of a failed node that goes on (`goesOnAfterFailure`): its error, classified by code. */
export function failureOutput(error: { message: string; code?: string }): {
  error: { message: string; code?: string };
} {
  return { error: { message: error.message, code: error.code } };
}

/** The port a failed node that goes on sends its output down: `error` with an error output, else all of them. */
export function failurePort(policy: Pick<NodePolicy, 'errorOutput'>): string | undefined {
  return policy.errorOutput ? ERROR_PORT.id : undefined;
}

/** Throws unless every port a branch node's route returned is one of the outputs this node has. */
export function checkRoute(
  spec: NodeSpec,
  node: { type: string; version: number; params: Record<string, unknown>; policy: NodePolicy },
  port: string | string[] | undefined,
): void {
  if (port === undefined) throw new Error(`routed nowhere: ${node.type}@${node.version} returned no port`);
  const ports = nodeOutputPorts(spec, node.params, node.policy);
  for (const p of typeof port === 'string' ? [port] : port) {
    if (!ports.some((o) => o.id === p))
      throw new Error(`routed to port "${p}", which this ${node.type}@${node.version} node does not have`);
  }
}
