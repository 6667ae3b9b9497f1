data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

# Resolves the role behind the (possibly assumed-role) identity running
# Terraform, e.g. the github-oidc apply role or an SSO permission-set role.
data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  dns_suffix = data.aws_partition.current.dns_suffix

  # Kubernetes versions this module supports, with the EKS add-on versions
  # pinned for each. Taken from `aws eks describe-addon-versions
  # --kubernetes-version <v> --addon-name <name>` (mid-2025 catalogue);
  # refresh them when adding a version and override single entries with
  # var.addon_versions.
  supported_versions = {
    "1.31" = {
      "vpc-cni"            = "v1.19.5-eksbuild.3"
      "coredns"            = "v1.11.4-eksbuild.2"
      "kube-proxy"         = "v1.31.10-eksbuild.2"
      "aws-ebs-csi-driver" = "v1.46.0-eksbuild.1"
      "metrics-server"     = "v0.8.0-eksbuild.1"
    }
    "1.32" = {
      "vpc-cni"            = "v1.20.0-eksbuild.1"
      "coredns"            = "v1.11.4-eksbuild.14"
      "kube-proxy"         = "v1.32.6-eksbuild.2"
      "aws-ebs-csi-driver" = "v1.46.0-eksbuild.1"
      "metrics-server"     = "v0.8.0-eksbuild.1"
    }
    "1.33" = {
      "vpc-cni"            = "v1.20.0-eksbuild.1"
      "coredns"            = "v1.12.2-eksbuild.4"
      "kube-proxy"         = "v1.33.0-eksbuild.2"
      "aws-ebs-csi-driver" = "v1.46.0-eksbuild.1"
      "metrics-server"     = "v0.8.0-eksbuild.1"
    }
  }

  addon_versions = merge(local.supported_versions[var.kubernetes_version], var.addon_versions)

  # vpc-cni must run before nodes join (they stay NotReady without a CNI);
  # the others need schedulable nodes (Deployments) and follow the node groups.
  before_compute_addons = var.emulated_aws ? {} : { "vpc-cni" = local.addon_versions["vpc-cni"] }
  after_compute_addons = var.emulated_aws ? {} : {
    for k, v in local.addon_versions : k => v if k != "vpc-cni"
  }

  log_group_name = "/aws/eks/${var.name}/cluster"
  log_group_arn  = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}"

  oidc_issuer_url = aws_eks_cluster.this.identity[0].oidc[0].issuer
  # "oidc.eks.<region>.amazonaws.com/id/<ID>": the prefix of the :sub/:aud condition keys.
  oidc_issuer_host_path = replace(local.oidc_issuer_url, "https://", "")

  # Access entries: SSO admin roles (+ the Terraform identity), read-only roles.
  creator_role_arn = data.aws_iam_session_context.current.issuer_arn
  admin_principals = distinct(concat(var.admin_role_arns, var.cluster_creator_admin ? [local.creator_role_arn] : []))
  access_entries = var.emulated_aws ? {} : merge(
    { for a in var.readonly_role_arns : a => "AmazonEKSViewPolicy" if !contains(local.admin_principals, a) },
    { for a in local.admin_principals : a => "AmazonEKSClusterAdminPolicy" },
  )
}

################################################################################
# KMS: one rotating CMK for Kubernetes secrets, one for the control plane logs
################################################################################

resource "aws_kms_key" "cluster" {
  description             = "Envelope-encrypts Kubernetes secrets of EKS cluster ${var.name}"
  deletion_window_in_days = var.kms_deletion_window_in_days
  enable_key_rotation     = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableAccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        # What the EKS control plane (cluster role) needs for envelope encryption.
        Sid       = "AllowEksClusterRoleUse"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.cluster.arn }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
        Resource  = "*"
      },
    ]
  })

  tags = merge(var.tags, { Name = "${var.name}-eks-secrets" })
}

resource "aws_kms_alias" "cluster" {
  name          = "alias/${var.name}-eks-secrets"
  target_key_id = aws_kms_key.cluster.key_id
}

resource "aws_kms_key" "logs" {
  description             = "Encrypts the EKS control plane log group of ${var.name}"
  deletion_window_in_days = var.kms_deletion_window_in_days
  enable_key_rotation     = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableAccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AllowCloudWatchLogsForThisLogGroup"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = local.log_group_arn }
        }
      },
    ]
  })

  tags = merge(var.tags, { Name = "${var.name}-eks-logs" })
}

resource "aws_kms_alias" "logs" {
  name          = "alias/${var.name}-eks-logs"
  target_key_id = aws_kms_key.logs.key_id
}

# Created explicitly (before the cluster) so retention and encryption are
# ours; EKS would otherwise create it unencrypted with infinite retention.
resource "aws_cloudwatch_log_group" "cluster" {
  # checkov:skip=CKV_AWS_338:Retention is a per-environment cost decision (cluster_log_retention_days, default 90); long-term audit retention belongs in the organisation's central log archive, not in this log group.
  name              = local.log_group_name
  retention_in_days = var.cluster_log_retention_days
  kms_key_id        = aws_kms_key.logs.arn

  tags = merge(var.tags, { Name = "${var.name}-eks-control-plane" })
}

################################################################################
# Cluster IAM role
################################################################################

resource "aws_iam_role" "cluster" {
  name = "${var.name}-eks-cluster"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })

  tags = merge(var.tags, { Name = "${var.name}-eks-cluster" })
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

################################################################################
# Control plane
################################################################################

resource "aws_eks_cluster" "this" {
  # checkov:skip=CKV_AWS_37:api, audit and authenticator (the security-relevant streams) are on by default; controllerManager/scheduler logs are high-volume diagnostics and can be enabled per environment with cluster_log_types.
  # checkov:skip=CKV_AWS_39:The public endpoint is opt-in (endpoint_public_access) for operators/CI outside the VPC running the Ansible/Helm phase; it is only reachable from the validated public_access_cidrs.
  # checkov:skip=CKV_AWS_38:public_access_cidrs is validated to be non-empty and contain no /0 whenever the public endpoint is on; checkov cannot evaluate the variable.
  name     = var.name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn

  enabled_cluster_log_types = var.cluster_log_types

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = var.endpoint_public_access
    # With the public endpoint off the list is irrelevant; keep it empty-safe.
    public_access_cidrs = var.endpoint_public_access ? var.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.cluster.arn
    }
  }

  # Access entries only (API mode): no aws-auth ConfigMap, and the creator
  # gets admin through an explicit, visible access entry instead.
  dynamic "access_config" {
    for_each = var.emulated_aws ? [] : [1]
    content {
      authentication_mode                         = "API"
      bootstrap_cluster_creator_admin_permissions = false
    }
  }

  timeouts {
    create = "30m"
    update = "60m"
    delete = "15m"
  }

  tags = merge(var.tags, { Name = var.name })

  depends_on = [
    aws_iam_role_policy_attachment.cluster,
    aws_cloudwatch_log_group.cluster,
  ]
}

################################################################################
# Access entries (SSO roles + the Terraform identity)
################################################################################

# Admins get AmazonEKSClusterAdminPolicy. Read-only roles get AmazonEKSViewPolicy
# rather than AmazonEKSAdminViewPolicy: the latter can also list and read
# Secrets, which a read-only audience must not see.
resource "aws_eks_access_entry" "this" {
  for_each = local.access_entries

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.key
  type          = "STANDARD"

  tags = var.tags
}

resource "aws_eks_access_policy_association" "this" {
  for_each = local.access_entries

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.this[each.key].principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/${each.value}"

  access_scope {
    type = "cluster"
  }
}

################################################################################
# IAM OIDC provider for IRSA
################################################################################

# No thumbprint_list: IAM verifies EKS OIDC issuers against its own trusted CA
# store, so no tls provider is needed (aws provider >= 5.x accepts omitting it).
resource "aws_iam_openid_connect_provider" "this" {
  url            = local.oidc_issuer_url
  client_id_list = ["sts.amazonaws.com"]

  tags = merge(var.tags, { Name = "${var.name}-eks-irsa" })
}

################################################################################
# Node IAM role
################################################################################

resource "aws_iam_role" "node" {
  name = "${var.name}-eks-node"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.${local.dns_suffix}" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = merge(var.tags, { Name = "${var.name}-eks-node" })
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonEKS_CNI_Policy"])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.key}"
}

################################################################################
# Managed node groups
################################################################################

resource "aws_launch_template" "node" {
  for_each = var.node_groups

  name                   = "${var.name}-${each.key}"
  description            = "EKS managed node group ${each.key} of ${var.name}"
  update_default_version = true

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required" # IMDSv2 only
    # Hop limit 1: the token cannot cross the extra hop into a pod's network
    # namespace, so pods cannot borrow the node role's credentials. Pods get
    # AWS access through IRSA (roles below), never through the node role.
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda" # root volume of the AL2023 EKS AMIs
    ebs {
      volume_size           = each.value.disk_size_gb
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  dynamic "tag_specifications" {
    for_each = toset(["instance", "volume", "network-interface"])
    content {
      resource_type = tag_specifications.key
      tags          = merge(var.tags, { Name = "${var.name}-${each.key}" })
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_eks_node_group" "this" {
  for_each = var.node_groups

  cluster_name    = aws_eks_cluster.this.name
  node_group_name = each.key
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  version         = var.kubernetes_version

  ami_type       = each.value.ami_type
  capacity_type  = each.value.capacity_type
  instance_types = each.value.instance_types
  labels         = each.value.labels

  launch_template {
    id      = aws_launch_template.node[each.key].id
    version = aws_launch_template.node[each.key].latest_version
  }

  scaling_config {
    min_size     = each.value.min_size
    desired_size = each.value.desired_size
    max_size     = each.value.max_size
  }

  dynamic "update_config" {
    for_each = var.emulated_aws ? [] : [1]
    content {
      max_unavailable_percentage = each.value.max_unavailable_percentage
    }
  }

  # EKS tags the node group's Auto Scaling group with the two auto-discovery
  # tags itself; they are set here as well so they are visible and asserted.
  # The node-template/label tags let cluster-autoscaler scale a group from
  # zero (it also reads labels through eks:DescribeNodegroup).
  tags = merge(
    var.tags,
    {
      Name                                    = "${var.name}-${each.key}"
      "k8s.io/cluster-autoscaler/enabled"     = "true"
      "k8s.io/cluster-autoscaler/${var.name}" = "owned"
    },
    { for k, v in each.value.labels : "k8s.io/cluster-autoscaler/node-template/label/${k}" => v },
  )

  timeouts {
    create = "30m"
    update = "60m"
    delete = "30m"
  }

  lifecycle {
    # cluster-autoscaler owns the current size; Terraform only sets min/max.
    # remote_access can never be set together with a launch template, so it
    # carries no configuration of ours (and some emulators report a default).
    ignore_changes = [scaling_config[0].desired_size, remote_access]
  }

  depends_on = [
    aws_iam_role_policy_attachment.node,
    # before_compute: the CNI must exist before nodes register.
    aws_eks_addon.before_compute,
  ]
}

################################################################################
# IRSA roles: each trusts exactly one service account
################################################################################

locals {
  service_accounts = {
    cluster_autoscaler           = var.service_accounts.cluster_autoscaler
    aws_load_balancer_controller = var.service_accounts.aws_load_balancer_controller
    ebs_csi_driver               = var.service_accounts.ebs_csi_driver
    external_dns                 = var.service_accounts.external_dns
  }

  irsa_role_names = {
    cluster_autoscaler           = "${var.name}-irsa-cluster-autoscaler"
    aws_load_balancer_controller = "${var.name}-irsa-aws-lb-controller"
    ebs_csi_driver               = "${var.name}-irsa-ebs-csi-driver"
    external_dns                 = "${var.name}-irsa-external-dns"
  }
}

resource "aws_iam_role" "irsa" {
  for_each = local.service_accounts

  name = local.irsa_role_names[each.key]
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.this.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_issuer_host_path}:sub" = "system:serviceaccount:${each.value.namespace}:${each.value.name}"
          "${local.oidc_issuer_host_path}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })

  tags = merge(var.tags, { Name = local.irsa_role_names[each.key] })
}

# cluster-autoscaler: read on *, scale/terminate only ASGs owned by this cluster.
resource "aws_iam_role_policy" "cluster_autoscaler" {
  # checkov:skip=CKV_AWS_355:Describe/Get calls of autoscaling and EC2 do not support resource-level permissions; the mutating actions are restricted by the k8s.io/cluster-autoscaler/<cluster> = owned tag.
  name = "cluster-autoscaler"
  role = aws_iam_role.irsa["cluster_autoscaler"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Discover"
        Effect = "Allow"
        Action = [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
        ]
        Resource = "*"
      },
      {
        Sid      = "DescribeOwnNodegroups"
        Effect   = "Allow"
        Action   = "eks:DescribeNodegroup"
        Resource = "arn:${local.partition}:eks:${local.region}:${local.account_id}:nodegroup/${var.name}/*/*"
      },
      {
        Sid      = "ScaleOwnedGroupsOnly"
        Effect   = "Allow"
        Action   = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
        Resource = "*"
        Condition = {
          StringEquals = { "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.name}" = "owned" }
        }
      },
    ]
  })
}

# AWS Load Balancer Controller: the upstream published policy
# (kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json, v2.x).
resource "aws_iam_policy" "aws_load_balancer_controller" {
  # checkov:skip=CKV_AWS_355:Upstream-published controller policy: ELB/EC2 create and describe calls cannot be scoped to ARNs that do not exist yet; mutations are gated on the elbv2.k8s.aws/cluster tag.
  # checkov:skip=CKV_AWS_290:Upstream-published controller policy: write actions on "*" are constrained by elbv2.k8s.aws/cluster request/resource tag conditions where AWS supports them.
  # checkov:skip=CKV_AWS_289:Upstream-published controller policy: iam:CreateServiceLinkedRole is limited to elasticloadbalancing.amazonaws.com by condition.
  name        = "${var.name}-aws-load-balancer-controller"
  description = "AWS Load Balancer Controller (upstream policy) for EKS cluster ${var.name}"
  policy      = replace(file("${path.module}/policies/aws-load-balancer-controller.json"), "arn:aws:", "arn:${local.partition}:")

  tags = merge(var.tags, { Name = "${var.name}-aws-load-balancer-controller" })
}

resource "aws_iam_role_policy_attachment" "aws_load_balancer_controller" {
  role       = aws_iam_role.irsa["aws_load_balancer_controller"].name
  policy_arn = aws_iam_policy.aws_load_balancer_controller.arn
}

resource "aws_iam_role_policy_attachment" "ebs_csi_driver" {
  role       = aws_iam_role.irsa["ebs_csi_driver"].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

# ExternalDNS: record changes only in the given zones; listing is account-wide.
resource "aws_iam_role_policy" "external_dns" {
  name = "external-dns"
  role = aws_iam_role.irsa["external_dns"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      length(var.external_dns_zone_arns) == 0 ? [] : [{
        Sid      = "ChangeRecordsInOwnZones"
        Effect   = "Allow"
        Action   = "route53:ChangeResourceRecordSets"
        Resource = var.external_dns_zone_arns
      }],
      [{
        Sid      = "ListZonesAndRecords"
        Effect   = "Allow"
        Action   = ["route53:ListHostedZones", "route53:ListResourceRecordSets", "route53:ListTagsForResource", "route53:ListTagsForResources"]
        Resource = "*"
      }],
    )
  })
}

################################################################################
# EKS add-ons (versions pinned per Kubernetes version)
################################################################################

resource "aws_eks_addon" "before_compute" {
  for_each = local.before_compute_addons

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = each.value
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  tags = var.tags
}

resource "aws_eks_addon" "this" {
  for_each = local.after_compute_addons

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = each.value
  service_account_role_arn    = each.key == "aws-ebs-csi-driver" ? aws_iam_role.irsa["ebs_csi_driver"].arn : null
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  tags = var.tags

  depends_on = [
    aws_eks_node_group.this,
    aws_iam_role_policy_attachment.ebs_csi_driver,
  ]
}
