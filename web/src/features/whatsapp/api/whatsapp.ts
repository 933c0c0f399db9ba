import { graphql } from '@/gql';

export const WhatsAppNumbersDocument = graphql(`
  query WhatsAppNumbers($id: ID!) {
    organization(id: $id) {
      id
      phoneNumbers {
        id
        phoneNumberId
        displayPhoneNumber
        verifiedName
        qualityRating
        status
        nameStatus
        messagingLimit
        throughputLevel
        refreshedAt
        disconnectedAt
      }
    }
  }
`);

export const ConnectWhatsAppDocument = graphql(`
  mutation ConnectWhatsApp($input: ConnectWhatsAppInput!) {
    connectWhatsApp(input: $input) {
      id
      phoneNumberId
      displayPhoneNumber
      verifiedName
    }
  }
`);

export const CompleteEmbeddedSignupDocument = graphql(`
  mutation CompleteEmbeddedSignup($input: CompleteEmbeddedSignupInput!) {
    completeEmbeddedSignup(input: $input) {
      id
      phoneNumberId
      displayPhoneNumber
      verifiedName
    }
  }
`);

export const RefreshPhoneNumberDocument = graphql(`
  mutation RefreshPhoneNumber($input: PhoneNumberRefInput!) {
    refreshPhoneNumber(input: $input) {
      id
      displayPhoneNumber
      verifiedName
      qualityRating
      status
      nameStatus
      messagingLimit
      throughputLevel
      refreshedAt
    }
  }
`);

export const DisconnectPhoneNumberDocument = graphql(`
  mutation DisconnectPhoneNumber($input: PhoneNumberRefInput!) {
    disconnectPhoneNumber(input: $input) {
      id
      status
      disconnectedAt
    }
  }
`);
