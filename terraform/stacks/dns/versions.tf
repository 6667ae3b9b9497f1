terraform {
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }

  # Partial configuration: the caller passes bucket, key, region, encrypt,
  # kms_key_id, dynamodb_table and use_lockfile with -backend-config.
  backend "s3" {}
}
