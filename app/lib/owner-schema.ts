// One schema for the /setup form and POST /api/setup.
import { z } from 'zod';

export const ownerSchema = z.object({
  email: z.string().trim().email('Enter a valid email address.').max(200),
  name: z.string().trim().min(1, 'Enter your name.').max(100),
  password: z.string().min(8, 'Use at least 8 characters.').max(200),
});

export type OwnerInput = z.infer<typeof ownerSchema>;
