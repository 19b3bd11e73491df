import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrderCancelReason, OrderStatus, PayWith } from '../domain/vocabulary';

@Entity('orders')
export class OrderEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'offering_id' })
  offeringId!: string;

  @Column('uuid', { name: 'provider_id' })
  providerId!: string;

  @Column('uuid', { name: 'slot_id', nullable: true })
  slotId!: string | null;

  @Column('uuid', { name: 'buyer_id' })
  buyerId!: string;

  @Column('text', { name: 'client_order_id' })
  clientOrderId!: string;

  @Column('integer')
  quantity!: number;

  @Column('text', { name: 'pay_with' })
  payWith!: PayWith;

  /** Points for the whole order (0 unless paid in points). */
  @Column('integer', { name: 'price_points' })
  pricePoints!: number;

  /** Fen for the whole order (0 unless paid in cash). */
  @Column('integer', { name: 'price_fen' })
  priceFen!: number;

  @Column('text')
  note!: string;

  @Column('text')
  status!: OrderStatus;

  @Column('text', { name: 'cancel_reason', nullable: true })
  cancelReason!: OrderCancelReason | null;

  @Column('text', { name: 'decline_reason', nullable: true })
  declineReason!: string | null;

  @Column('boolean', { name: 'points_debited' })
  pointsDebited!: boolean;

  @Column('boolean', { name: 'points_refunded' })
  pointsRefunded!: boolean;

  @Column('text', { name: 'payment_reference', nullable: true })
  paymentReference!: string | null;

  @Column('timestamptz', { name: 'paid_at', nullable: true })
  paidAt!: Date | null;

  @Column('timestamptz', { name: 'payment_due_at', nullable: true })
  paymentDueAt!: Date | null;

  @Column('timestamptz', { name: 'placed_at' })
  placedAt!: Date;

  @Column('timestamptz', { name: 'confirmed_at', nullable: true })
  confirmedAt!: Date | null;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  @Column('timestamptz', { name: 'cancelled_at', nullable: true })
  cancelledAt!: Date | null;
}
