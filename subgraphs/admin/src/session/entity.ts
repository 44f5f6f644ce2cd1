import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A signed-in admin session. The token itself is never shown again after sign-in.' })
export class AdminSession {
  @Field(() => ID) id!: string;
  @Field(() => ID) adminUserId!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Last request made with it, to the minute.' }) lastSeenAt?: Date | null;
  @Field(() => String, { nullable: true }) ip?: string | null;
  @Field(() => String, { nullable: true }) userAgent?: string | null;
  // `active`, `current` and `adminUser` are field resolvers (see AdminSessionResolver).
}
