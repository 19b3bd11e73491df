import { z } from 'zod';

/** Field builders and vocabularies more than one producer's events use. */
export const id = () => z.uuid();
export const timestamp = () => z.iso.datetime({ offset: true });
export const role = z.enum(['RESIDENT', 'COMMUNITY_WORKER', 'COMMITTEE', 'ADMIN']);
export const tier = z.enum(['VOLUNTEER', 'ACTIVIST', 'BACKBONE', 'LEADER']);
export const membershipRole = z.enum(['MEMBER', 'ACTIVIST', 'BACKBONE', 'LEADER']);
export const fen = () => z.number().int().describe('amount in fen (分), 1 yuan = 100 fen');
