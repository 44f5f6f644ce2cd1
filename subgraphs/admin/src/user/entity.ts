import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '@herethere/runtime';

/** Values are the stored role strings, so rows pass through without mapping. */
export enum AdminRoleEnum {
  OWNER = 'owner',
  SUPPORT = 'support',
  VIEWER = 'viewer',
}
registerEnumType(AdminRoleEnum, {
  name: 'AdminRole',
  description: 'What a platform admin may do; each role includes the ones below it.',
  valuesConfig: {
    OWNER: { description: 'Everything, including managing admin users.' },
    SUPPORT: { description: 'Read everything, including the audit trail.' },
    VIEWER: { description: 'Read platform views.' },
  },
});

@ObjectType({ description: 'A platform operator. Every action they take is audited.' })
export class AdminUser {
  @Field(() => ID) id!: string;
  @Field(() => String) username!: string;
  @Field(() => String) email!: string;
  @Field(() => AdminRoleEnum) role!: AdminRoleEnum;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastLoginAt?: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the account was disabled (or deleted); null while active.' }) disabledAt?: Date | null;
  // `disabled` is a field resolver over disabledAt (see AdminUserResolver).
}

export const AdminUserConnection = ConnectionType(AdminUser, 'AdminUser');
