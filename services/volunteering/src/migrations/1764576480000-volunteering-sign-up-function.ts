import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * sign_up_for_shift(): a whole sign-up as one statement (docs/decisions/0015-sign-up-in-one-statement.md), so the
 * shift's row lock is held for the database's own work and the commit, never across the service's other round
 * trips. The rules are those SignUpService documents; a refusal is raised
 * as SQLSTATE P0001 with the reason as its message (the service maps it to its GraphQL error) and the detail in HINT.
 * Inside a VOLATILE PL/pgSQL function every statement takes a new snapshot, so the count after the lock sees every
 * sign-up committed before it was granted.
 */
export class VolunteeringSignUpFunction1764576480000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION sign_up_for_shift(
        p_id uuid, p_shift_id uuid, p_user_id uuid, p_community_id uuid,
        p_place_holding text[], p_time_holding text[],
        p_event_id uuid, p_topic text, p_message_key text, p_headers jsonb, p_payload jsonb, p_channel text)
      RETURNS TABLE (placed_status text, placed_position integer, placed_at timestamptz)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_shift shifts%ROWTYPE;
        v_opportunity_status text;
        v_mine text;
        v_taken integer;
        v_last_position integer;
        v_status text;
        v_position integer;
        v_now timestamptz;
      BEGIN
        -- Per-volunteer lock first: two sign-ups of one person for overlapping shifts cannot both pass the check.
        PERFORM pg_advisory_xact_lock(hashtext('sign_ups:user:' || p_user_id));
        SELECT * INTO v_shift FROM shifts WHERE id = p_shift_id;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'SHIFT_NOT_FOUND';
        END IF;
        IF v_shift.community_id <> p_community_id THEN
          RAISE EXCEPTION 'OTHER_COMMUNITY';
        END IF;
        SELECT status INTO v_mine FROM sign_ups
         WHERE shift_id = p_shift_id AND user_id = p_user_id AND status <> 'CANCELLED';
        IF FOUND THEN
          RAISE EXCEPTION 'ALREADY_SIGNED_UP' USING HINT = v_mine;
        END IF;
        PERFORM 1 FROM sign_ups su JOIN shifts s ON s.id = su.shift_id
         WHERE su.user_id = p_user_id AND su.status = ANY(p_time_holding)
           AND s.starts_at < v_shift.ends_at AND s.ends_at > v_shift.starts_at;
        IF FOUND THEN
          RAISE EXCEPTION 'OVERLAPPING_SHIFT';
        END IF;
        -- Opportunity (shared) before shift (exclusive): the order cancelOpportunity takes them in, so no deadlock.
        SELECT status INTO v_opportunity_status FROM opportunities WHERE id = v_shift.opportunity_id FOR SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'OPPORTUNITY_NOT_FOUND' USING HINT = v_shift.opportunity_id::text;
        END IF;
        SELECT * INTO v_shift FROM shifts WHERE id = p_shift_id FOR UPDATE;
        -- Taken once the lock is granted: sign-up times rise in the order places and waitlist positions are given.
        v_now := date_trunc('milliseconds', clock_timestamp());
        IF v_opportunity_status <> 'PUBLISHED' THEN
          RAISE EXCEPTION 'SIGN_UPS_CLOSED' USING HINT = v_opportunity_status;
        END IF;
        IF v_shift.starts_at <= v_now THEN
          RAISE EXCEPTION 'SHIFT_STARTED';
        END IF;
        SELECT count(*) FILTER (WHERE status = ANY(p_place_holding)),
               max(waitlist_position) FILTER (WHERE status = 'WAITLISTED')
          INTO v_taken, v_last_position
          FROM sign_ups WHERE shift_id = p_shift_id;
        IF v_taken < v_shift.capacity THEN
          v_status := 'SIGNED_UP';
          v_position := NULL;
        ELSE
          v_status := 'WAITLISTED';
          v_position := coalesce(v_last_position, 0) + 1;
        END IF;
        INSERT INTO sign_ups (id, shift_id, opportunity_id, community_id, user_id, status, waitlist_position,
                              signed_up_at, check_in_failures)
        VALUES (p_id, p_shift_id, v_shift.opportunity_id, v_shift.community_id, p_user_id, v_status, v_position,
                v_now, 0);
        -- A place taken is announced (the service prepared the confirmation); a waitlisted sign-up is not.
        IF v_status = 'SIGNED_UP' THEN
          INSERT INTO outbox (event_id, topic, message_key, community_id, headers, payload)
          VALUES (p_event_id, p_topic, p_message_key, v_shift.community_id, p_headers,
                  jsonb_set(p_payload, '{confirmedAt}',
                            to_jsonb(to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))));
          PERFORM pg_notify(p_channel, '');
        END IF;
        RETURN QUERY SELECT v_status, v_position, v_now;
      END
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `DROP FUNCTION sign_up_for_shift(uuid, uuid, uuid, uuid, text[], text[], uuid, text, text, jsonb, jsonb, text)`,
    );
  }
}
