import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { API_KEY_SCOPES } from '@herethere/db';

export enum ApiKeyScopeEnum {
  READ_CUSTOMERS = 'read_customers',
  WRITE_POINTS = 'write_points',
  READ_ANALYTICS = 'read_analytics',
  WRITE_REVIEWS = 'write_reviews',
}
registerEnumType(ApiKeyScopeEnum, { name: 'ApiKeyScope', description: `What a developer key may do: ${API_KEY_SCOPES.join(', ')}.` });

@ObjectType({ description: 'A developer API key. The secret is never shown again after creation.' })
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The first characters of the key, to tell keys apart.' }) displayPrefix!: string;
  @Field(() => [ApiKeyScopeEnum]) scopes!: string[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt?: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt?: Date | null;
}
