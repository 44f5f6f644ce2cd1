import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType } from '@herethere/runtime';

@ObjectType({ description: 'One recorded action: who did what to which object, and when.' })
export class AuditLog {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: '`admin:<id>`, `merchant:<shop>`, `developer:<key id>`, `anonymous` or `system`.' }) actor!: string;
  @Field(() => ID, { nullable: true }) adminUserId?: string | null;
  @Field(() => ID, { nullable: true }) merchantId?: string | null;
  @Field(() => String, { description: 'Dotted action name such as `admin_user.create` or `admin.login_failed`.' }) action!: string;
  @Field(() => String, { nullable: true }) targetType?: string | null;
  @Field(() => ID, { nullable: true }) targetId?: string | null;
  @Field(() => GraphQLJSONObject, { description: 'What changed; never carries passwords or tokens.' }) details!: Record<string, unknown>;
  @Field(() => String, { nullable: true }) ip?: string | null;
  @Field(() => Date) createdAt!: Date;
}

export const AuditLogConnection = ConnectionType(AuditLog, 'AuditLog');
