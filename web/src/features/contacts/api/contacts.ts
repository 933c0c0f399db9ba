import { graphql } from '@/gql';

export const ContactListItemFragment = graphql(`
  fragment ContactListItem on Contact {
    id
    waId
    phone
    name
    profileName
    displayName
    country
    tags
    marketing
    lastInboundAt
  }
`);

export const ContactsDocument = graphql(`
  query Contacts($id: ID!, $filter: ContactFilterInput, $first: Int, $after: String) {
    organization(id: $id) {
      id
      contacts(filter: $filter, first: $first, after: $after) {
        nodes {
          ...ContactListItem
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const ContactDetailsFragment = graphql(`
  fragment ContactDetails on Contact {
    id
    waId
    phone
    userId
    username
    profileName
    name
    displayName
    email
    language
    country
    timeZone
    tags
    fields
    createdAt
    marketing
    marketingSource
    marketingChangedAt
    lastInboundAt
    lastOutboundAt
    consentHistory {
      marketing
      source
      detail
      actor {
        id
        name
        email
      }
      at
    }
  }
`);

export const ContactDocument = graphql(`
  query Contact($id: ID!, $contactId: ID!) {
    organization(id: $id) {
      id
      contact(id: $contactId) {
        ...ContactDetails
      }
    }
  }
`);

export const SetContactOptInDocument = graphql(`
  mutation SetContactOptIn($input: SetContactOptInInput!) {
    setContactOptIn(input: $input) {
      ...ContactDetails
    }
  }
`);
