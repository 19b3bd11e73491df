import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A committee member's approval of a partner client for one of the communities it serves. */
export class IdentityPartnerClientApprovals1764700060000 implements MigrationInterface {
  name = 'IdentityPartnerClientApprovals1764700060000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE partner_client_approvals (
        client_id uuid NOT NULL REFERENCES partner_clients (id),
        community_id uuid NOT NULL,
        approved_by uuid NOT NULL,
        approved_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (client_id, community_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE partner_client_approvals`);
  }
}
