// How feedback is collected. The modes are not comparable (people answer differently on paper, by text message or
// with a member of staff beside them), so every published figure says which modes it includes.

/** The ways a response can come in, in the order figures list them. */
export const COLLECTION_MODES = ['online', 'paper', 'kiosk', 'sms', 'staff-assisted'] as const
export type CollectionMode = (typeof COLLECTION_MODES)[number]

export const isCollectionMode = (value: string): value is CollectionMode =>
  (COLLECTION_MODES as readonly string[]).includes(value)

/** Free text is never published until a moderator has read it (personal data, abuse). */
export const MODERATION_STATES = ['pending', 'published', 'rejected'] as const
export type ModerationState = (typeof MODERATION_STATES)[number]

/** Why a moderator may refuse to publish a comment: a fixed list, so decisions are consistent and can be counted. */
export const REJECTION_REASONS = ['personal-data', 'abuse', 'not-about-the-service'] as const
export type RejectionReason = (typeof REJECTION_REASONS)[number]
