mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_data "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    }
  }

  mock_resource "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    }
  }
}

variables {
  name_prefix             = "shopfront-dev"
  managed_iam_name_prefix = "shopfront"
  github_repository       = "acme/shopfront"
  state_bucket_arn        = "arn:aws:s3:::shopfront-tfstate"
  lock_table_arn          = "arn:aws:dynamodb:us-east-1:123456789012:table/shopfront-tflock"
  state_kms_key_arn       = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "defaults_create_provider_and_strict_trust" {
  command = apply

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && length(data.aws_iam_openid_connect_provider.github) == 0
    error_message = "The OIDC provider must be created (not looked up) by default."
  }

  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com"
    error_message = "OIDC provider URL must be GitHub's token endpoint."
  }

  assert {
    condition     = tolist(aws_iam_openid_connect_provider.github[0].client_id_list) == tolist(["sts.amazonaws.com"])
    error_message = "OIDC provider client id must be sts.amazonaws.com only."
  }

  assert {
    condition     = aws_iam_role.plan.name == "shopfront-dev-github-plan" && aws_iam_role.apply.name == "shopfront-dev-github-apply"
    error_message = "Role names must be <name_prefix>-github-plan / -github-apply."
  }

  assert {
    condition     = jsondecode(aws_iam_role.plan.assume_role_policy).Statement[0].Action == "sts:AssumeRoleWithWebIdentity"
    error_message = "Plan trust must allow sts:AssumeRoleWithWebIdentity."
  }

  assert {
    condition     = jsondecode(aws_iam_role.plan.assume_role_policy).Statement[0].Principal.Federated == aws_iam_openid_connect_provider.github[0].arn
    error_message = "Plan trust principal must be the GitHub OIDC provider."
  }

  assert {
    condition     = jsondecode(aws_iam_role.plan.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    error_message = "Plan trust must require aud == sts.amazonaws.com with StringEquals."
  }

  assert {
    condition     = tolist(jsondecode(aws_iam_role.plan.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]) == tolist(["repo:acme/shopfront:pull_request"])
    error_message = "Plan trust must require exactly sub == repo:acme/shopfront:pull_request."
  }

  assert {
    condition     = tolist(jsondecode(aws_iam_role.apply.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]) == tolist(["repo:acme/shopfront:ref:refs/heads/main"])
    error_message = "Apply trust must require exactly sub == repo:acme/shopfront:ref:refs/heads/main by default."
  }

  assert {
    condition     = jsondecode(aws_iam_role.apply.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    error_message = "Apply trust must require aud == sts.amazonaws.com with StringEquals."
  }

  assert {
    condition = alltrue([
      for p in [aws_iam_role.plan.assume_role_policy, aws_iam_role.apply.assume_role_policy] :
      keys(jsondecode(p).Statement[0].Condition) == ["StringEquals"] && length(jsondecode(p).Statement) == 1
    ])
    error_message = "Trust policies must use only StringEquals conditions (no StringLike) in a single statement."
  }

  assert {
    condition     = !strcontains(aws_iam_role.plan.assume_role_policy, "*") && !strcontains(aws_iam_role.apply.assume_role_policy, "*")
    error_message = "Trust policies must not contain wildcards."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.plan_read_only.policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "Plan role must get the AWS managed ReadOnlyAccess policy."
  }

  assert {
    condition = length([
      for s in jsondecode(aws_iam_role_policy.plan_state.policy).Statement : s
      if contains(flatten([s.Action]), "s3:PutObject") || contains(flatten([s.Action]), "s3:DeleteObject")
      ]) == 1 && one([
      for s in jsondecode(aws_iam_role_policy.plan_state.policy).Statement : s.Resource
      if contains(flatten([s.Action]), "s3:PutObject")
    ]) == "arn:aws:s3:::shopfront-tfstate/*.tflock"
    error_message = "Plan role may only write/delete *.tflock objects in the state bucket."
  }

  assert {
    condition     = aws_iam_role.plan.max_session_duration == 3600 && aws_iam_role.apply.max_session_duration == 3600
    error_message = "Default max session duration must be 3600 seconds."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.apply_platform.policy).Statement :
      !(s.Effect == "Allow" && anytrue([for a in flatten([s.Action]) : a == "*" || a == "iam:*" || startswith(a, "iam:") && s.Resource == "*" && !startswith(a, "iam:Get") && !startswith(a, "iam:List")]))
    ])
    error_message = "Apply role must not hold \"*\"/\"iam:*\" or IAM write actions on \"*\"."
  }

  assert {
    condition = tolist(one([
      for s in jsondecode(aws_iam_role_policy.apply_platform.policy).Statement : s.Resource
      if s.Sid == "IamWriteProjectResourcesOnly"
      ])) == tolist([
      "arn:aws:iam::123456789012:role/shopfront-*",
      "arn:aws:iam::123456789012:policy/shopfront-*",
      "arn:aws:iam::123456789012:instance-profile/shopfront-*",
      "arn:aws:iam::123456789012:oidc-provider/*",
    ])
    error_message = "IAM write actions must be restricted to <project>-* roles/policies/instance profiles and OIDC providers."
  }

  assert {
    condition     = tolist(output.plan_role_subjects) == tolist(["repo:acme/shopfront:pull_request"]) && tolist(output.apply_role_subjects) == tolist(["repo:acme/shopfront:ref:refs/heads/main"])
    error_message = "Subject outputs must list the exact trusted sub claims."
  }
}

run "lookup_existing_provider_and_environment_subjects" {
  command = apply

  variables {
    create_oidc_provider = false
    apply_subjects       = ["ref:refs/heads/main", "environment:production"]
    max_session_duration = 7200
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && length(data.aws_iam_openid_connect_provider.github) == 1
    error_message = "With create_oidc_provider = false the provider must be looked up, not created."
  }

  assert {
    condition     = jsondecode(aws_iam_role.apply.assume_role_policy).Statement[0].Principal.Federated == data.aws_iam_openid_connect_provider.github[0].arn && output.oidc_provider_arn == data.aws_iam_openid_connect_provider.github[0].arn
    error_message = "Roles must trust the looked-up provider."
  }

  assert {
    condition = tolist(jsondecode(aws_iam_role.apply.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]) == tolist([
      "repo:acme/shopfront:ref:refs/heads/main",
      "repo:acme/shopfront:environment:production",
    ])
    error_message = "Apply trust must list exactly main and the production environment."
  }

  assert {
    condition     = aws_iam_role.apply.max_session_duration == 7200
    error_message = "max_session_duration must be applied to the roles."
  }
}

run "rejects_wildcard_plan_subject" {
  command = plan
  variables {
    plan_subjects = ["ref:refs/heads/*"]
  }
  expect_failures = [var.plan_subjects]
}

run "rejects_wildcard_apply_subject" {
  command = plan
  variables {
    apply_subjects = ["*"]
  }
  expect_failures = [var.apply_subjects]
}

run "rejects_pull_request_for_apply" {
  command = plan
  variables {
    apply_subjects = ["pull_request"]
  }
  expect_failures = [var.apply_subjects]
}

run "rejects_empty_apply_subjects" {
  command = plan
  variables {
    apply_subjects = []
  }
  expect_failures = [var.apply_subjects]
}

run "rejects_repository_without_org" {
  command = plan
  variables {
    github_repository = "shopfront"
  }
  expect_failures = [var.github_repository]
}

run "rejects_wildcard_repository" {
  command = plan
  variables {
    github_repository = "acme/*"
  }
  expect_failures = [var.github_repository]
}

run "rejects_bad_state_arn" {
  command = plan
  variables {
    state_kms_key_arn = "alias/shopfront-tfstate"
  }
  expect_failures = [var.state_kms_key_arn]
}

run "rejects_session_duration_out_of_range" {
  command = plan
  variables {
    max_session_duration = 900
  }
  expect_failures = [var.max_session_duration]
}
