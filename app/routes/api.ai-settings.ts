// GET /api/ai-settings: the workspace's AI routing (a fallback model for every LLM and Agent node, a monthly budget
// for all model calls). PUT { fallbackModelId?, monthlyBudgetUsd? } replaces it; a refusal names the field.
import { z } from 'zod';
import { getAiSettings, saveAiSettings } from '../../db/ai-settings';
import { recordAudit } from '../../db/audit';
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { answerModelRefusal } from '../lib/models.server';

const body = z.object({
  fallbackModelId: z.string().optional(),
  monthlyBudgetUsd: z.number().optional(),
});

const handle = apiHandler('/api/ai-settings', {
  GET: async ({ caller }) => json({ settings: await getAiSettings(caller.scope.workspaceId) }),
  PUT: async ({ request, caller, ip }) => {
    const input = await readJsonWith(request, body);
    return answerModelRefusal(async () => {
      const settings = await saveAiSettings(caller.scope, input);
      await recordAudit({
        workspaceId: caller.scope.workspaceId,
        actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
        action: 'model.settings',
        target: { kind: 'workspace', id: caller.scope.workspaceId },
        ip,
        change: { ...settings },
      });
      return json({ settings });
    });
  },
});

export const loader = handle;
export const action = handle;
