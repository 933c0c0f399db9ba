import { graphql } from '@/gql';
import type { InboxTemplatesQuery } from '@/gql/graphql';

/** The templates a conversation's number can send; only APPROVED ones go out. */
export const InboxTemplatesDocument = graphql(`
  query InboxTemplates($id: ID!, $phoneNumberId: ID) {
    organization(id: $id) {
      id
      templates(phoneNumberId: $phoneNumberId) {
        id
        name
        language
        category
        status
        bodyText
        parameterCount
      }
    }
  }
`);

export type InboxTemplate = InboxTemplatesQuery['organization']['templates'][number];
