// GET /api/workflows/:id/preview?size=large|small: the workflow's current graph as an SVG picture
// (docs/decisions/064), for listings and thumbnails. Anyone who may read the workflow may see its picture.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { apiError, parseWith } from '../lib/http.server';
import { getWorkflow } from '../../db/workflows';
import { renderWorkflowPreviewSvg } from '../../ir/preview/render-svg';

const querySchema = z.object({ size: z.enum(['large', 'small']).default('large') });

const handle = apiHandler('/api/workflows/:id/preview', {
  GET: async ({ request, params, caller }) => {
    const { size } = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
    const workflow = await getWorkflow(caller.scope, params.id!);
    if (!workflow) return apiError(404, `Workflow ${params.id} does not exist.`);
    const svg = renderWorkflowPreviewSvg(workflow.document, { size, title: workflow.name });
    return new Response(svg, {
      headers: {
        'Content-Type': 'image/svg+xml; charset=utf-8',
        // The picture holds no script; should a browser open it as a page anyway, nothing in it may run or load.
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, no-cache',
      },
    });
  },
});

export const loader = handle;
export const action = handle;
