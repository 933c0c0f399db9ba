import { graphql } from '@/gql';

export const CustomerPhoneNumbersDocument = graphql(`
  query CustomerPhoneNumbers($id: ID!) {
    organization(id: $id) {
      id
      phoneNumbers {
        id
        phoneNumberId
        displayPhoneNumber
        verifiedName
        disconnectedAt
      }
    }
  }
`);
