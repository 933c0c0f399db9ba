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

export const ContactFieldItemFragment = graphql(`
  fragment ContactFieldItem on ContactField {
    key
    label
    kind
    choices
  }
`);

export const ContactDocument = graphql(`
  query Contact($id: ID!, $contactId: ID!) {
    organization(id: $id) {
      id
      contact(id: $contactId) {
        ...ContactDetails
      }
      contactFields {
        ...ContactFieldItem
      }
    }
  }
`);

export const UpdateContactDocument = graphql(`
  mutation UpdateContact($input: UpdateContactInput!) {
    updateContact(input: $input) {
      ...ContactDetails
    }
  }
`);

export const ContactFieldsDocument = graphql(`
  query ContactFields($id: ID!) {
    organization(id: $id) {
      id
      contactFields {
        ...ContactFieldItem
        createdAt
      }
    }
  }
`);

export const DefineContactFieldDocument = graphql(`
  mutation DefineContactField($input: DefineContactFieldInput!) {
    defineContactField(input: $input) {
      ...ContactFieldItem
    }
  }
`);

export const UpdateContactFieldDocument = graphql(`
  mutation UpdateContactField($input: UpdateContactFieldInput!) {
    updateContactField(input: $input) {
      ...ContactFieldItem
    }
  }
`);

export const DeleteContactFieldDocument = graphql(`
  mutation DeleteContactField($input: DeleteContactFieldInput!) {
    deleteContactField(input: $input) {
      key
      contactsCleared
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
