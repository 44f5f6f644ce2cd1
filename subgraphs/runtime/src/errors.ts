import { GraphQLError } from 'graphql';
import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';

/** Business failures are userErrors with a code, not exceptions (Shopify's API design). */
export enum UserErrorCode {
  INVALID = 'INVALID',
  NOT_FOUND = 'NOT_FOUND',
  TAKEN = 'TAKEN',
  INSUFFICIENT_POINTS = 'INSUFFICIENT_POINTS',
  DISABLED = 'DISABLED',
  LIMIT_REACHED = 'LIMIT_REACHED',
  FORBIDDEN = 'FORBIDDEN',
  CONFLICT = 'CONFLICT',
  UNAVAILABLE = 'UNAVAILABLE',
}
registerEnumType(UserErrorCode, { name: 'UserErrorCode', description: 'Why a mutation could not do what was asked.' });

@ObjectType({ description: 'A problem with the input of a mutation; nothing was written.' })
@Directive('@shareable')
export class UserError {
  @Field(() => [String], { nullable: true, description: 'Path to the input field at fault.' })
  field?: string[];

  @Field(() => String)
  message!: string;

  @Field(() => UserErrorCode)
  code!: UserErrorCode;

  constructor(code: UserErrorCode, message: string, field?: string[]) {
    this.code = code;
    this.message = message;
    this.field = field;
  }
}

export const userError = (code: UserErrorCode, message: string, field?: string[]) => new UserError(code, message, field);

/** Thrown when the caller is not allowed at all; the message never reveals whether data exists. */
export function forbidden(message = 'Not allowed for this principal'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function unauthenticated(message = 'Authentication required'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

export function badInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}
