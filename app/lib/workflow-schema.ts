// Request fields shared by workflow create and update. The document itself is checked by ir/schema.
import { z } from 'zod';

export const workflowFields = {
  name: z.string().trim().min(1, 'Give the workflow a name.').max(200).optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  // Kept as the exact parsed JSON (not zod's copy) so that unusual keys survive the round trip unchanged.
  document: z.unknown().optional(),
};
