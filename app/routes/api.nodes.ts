// GET /api/nodes: every node type (latest version) described for the palette and the inspector form.
import { describeSpec, registry } from '../../nodes/index';
import { apiHandler } from '../lib/api-route.server';
import { json } from '../lib/http.server';

const handle = apiHandler('/api/nodes', {
  GET: async () => json({ nodes: registry.list().map((spec) => describeSpec(spec)) }),
});

export const loader = handle;
export const action = handle;
