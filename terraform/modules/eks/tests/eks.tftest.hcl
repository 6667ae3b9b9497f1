mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:sts::123456789012:assumed-role/shopfront-local-github-apply/gha-run-1"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }

  mock_data "aws_iam_session_context" {
    defaults = {
      issuer_arn = "arn:aws:iam::123456789012:role/shopfront-local-github-apply"
    }
  }

  mock_resource "aws_eks_cluster" {
    defaults = {
      arn      = "arn:aws:eks:us-east-1:123456789012:cluster/shopfront-local"
      endpoint = "https://EXAMPLE0123456789.gr7.us-east-1.eks.amazonaws.com"
      identity = [{
        oidc = [{
          issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
        }]
      }]
      certificate_authority = [{
        data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"
      }]
    }
  }

  mock_resource "aws_iam_openid_connect_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/eks/shopfront-local/cluster"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/shopfront-local-mock"
    }
  }

  mock_resource "aws_iam_policy" {
    defaults = {
      arn = "arn:aws:iam::123456789012:policy/shopfront-local-aws-load-balancer-controller"
    }
  }

  mock_resource "aws_launch_template" {
    defaults = {
      id             = "lt-0123456789abcdef0"
      latest_version = 3
    }
  }
}

variables {
  name                   = "shopfront-local"
  subnet_ids             = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  endpoint_public_access = true
  public_access_cidrs    = ["203.0.113.0/24"]
  admin_role_arns        = ["arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef"]
  readonly_role_arns     = ["arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123456789abcdef"]
  external_dns_zone_arns = ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]
  node_groups = {
    default = {
      labels = { workload = "general" }
    }
  }
  tags = {
    Team = "platform"
  }
}

run "real_aws_defaults" {
  command = apply

  # --- control plane -------------------------------------------------------

  assert {
    condition     = aws_eks_cluster.this.name == "shopfront-local" && aws_eks_cluster.this.version == "1.33" && aws_eks_cluster.this.role_arn == aws_iam_role.cluster.arn
    error_message = "Cluster must be named after var.name, run Kubernetes 1.33 by default and use the cluster role."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.cluster.policy_arn == "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" && jsondecode(aws_iam_role.cluster.assume_role_policy).Statement[0].Principal.Service == "eks.amazonaws.com"
    error_message = "Cluster role must be assumable by eks.amazonaws.com and carry AmazonEKSClusterPolicy."
  }

  assert {
    condition     = toset(aws_eks_cluster.this.enabled_cluster_log_types) == toset(["api", "audit", "authenticator"])
    error_message = "Control plane logs must default to api, audit and authenticator."
  }

  assert {
    condition     = aws_cloudwatch_log_group.cluster.name == "/aws/eks/shopfront-local/cluster" && aws_cloudwatch_log_group.cluster.retention_in_days == 90 && aws_cloudwatch_log_group.cluster.kms_key_id == aws_kms_key.logs.arn
    error_message = "The control plane log group must be /aws/eks/<name>/cluster, 90-day retention, encrypted with the logs CMK."
  }

  assert {
    condition     = one([for s in jsondecode(aws_kms_key.logs.policy).Statement : s.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"] if s.Sid == "AllowCloudWatchLogsForThisLogGroup"]) == "arn:aws:logs:us-east-1:123456789012:log-group:/aws/eks/shopfront-local/cluster"
    error_message = "CloudWatch Logs may only use the logs key for this cluster's log group."
  }

  assert {
    condition     = aws_eks_cluster.this.encryption_config[0].provider[0].key_arn == aws_kms_key.cluster.arn && tolist(aws_eks_cluster.this.encryption_config[0].resources) == tolist(["secrets"])
    error_message = "Kubernetes secrets must be envelope-encrypted with the dedicated CMK."
  }

  assert {
    condition     = aws_kms_key.cluster.enable_key_rotation && aws_kms_key.logs.enable_key_rotation && aws_kms_alias.cluster.name == "alias/shopfront-local-eks-secrets" && aws_kms_alias.cluster.target_key_id == aws_kms_key.cluster.key_id
    error_message = "Both CMKs must rotate; the secrets key must have alias/<name>-eks-secrets."
  }

  assert {
    condition = toset(one([for s in jsondecode(aws_kms_key.cluster.policy).Statement : s.Action if s.Sid == "AllowEksClusterRoleUse"])) == toset(["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]) && one([
      for s in jsondecode(aws_kms_key.cluster.policy).Statement : s.Principal.AWS if s.Sid == "AllowEksClusterRoleUse"
    ]) == aws_iam_role.cluster.arn
    error_message = "The secrets key policy must let only the cluster role use the key (Encrypt/Decrypt/ListGrants/DescribeKey)."
  }

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_private_access && aws_eks_cluster.this.vpc_config[0].endpoint_public_access && toset(aws_eks_cluster.this.vpc_config[0].public_access_cidrs) == toset(["203.0.113.0/24"])
    error_message = "Private endpoint must be on; the public endpoint must be limited to public_access_cidrs."
  }

  assert {
    condition     = toset(aws_eks_cluster.this.vpc_config[0].subnet_ids) == toset(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"])
    error_message = "The control plane must use the given private subnets."
  }

  assert {
    condition     = aws_eks_cluster.this.access_config[0].authentication_mode == "API" && aws_eks_cluster.this.access_config[0].bootstrap_cluster_creator_admin_permissions == false
    error_message = "Authentication mode must be API (access entries only) without implicit creator admin."
  }

  # --- access entries ------------------------------------------------------

  assert {
    condition = tomap({ for k, a in aws_eks_access_policy_association.this : k => a.policy_arn }) == tomap({
      "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef"    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
      "arn:aws:iam::123456789012:role/shopfront-local-github-apply"                                            = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
      "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123456789abcdef" = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
    })
    error_message = "Admins (incl. the Terraform role resolved via the session context) get AmazonEKSClusterAdminPolicy, read-only roles AmazonEKSViewPolicy."
  }

  assert {
    condition     = alltrue([for a in aws_eks_access_policy_association.this : a.access_scope[0].type == "cluster" && a.cluster_name == aws_eks_cluster.this.name])
    error_message = "Every policy association must be cluster-scoped on this cluster."
  }

  assert {
    condition     = length(aws_eks_access_entry.this) == 3 && alltrue([for k, e in aws_eks_access_entry.this : e.principal_arn == k && e.type == "STANDARD"])
    error_message = "One STANDARD access entry per principal."
  }

  # --- node groups -----------------------------------------------------------

  assert {
    condition     = toset(aws_eks_node_group.this["default"].subnet_ids) == toset(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]) && aws_eks_node_group.this["default"].node_role_arn == aws_iam_role.node.arn
    error_message = "Node groups must run in the private subnets with the node role."
  }

  assert {
    condition     = toset([for a in aws_iam_role_policy_attachment.node : a.policy_arn]) == toset(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"])
    error_message = "Node role must have exactly the worker, ECR read-only and CNI managed policies."
  }

  assert {
    condition = (
      aws_eks_node_group.this["default"].scaling_config[0].min_size == 2 &&
      aws_eks_node_group.this["default"].scaling_config[0].desired_size == 2 &&
      aws_eks_node_group.this["default"].scaling_config[0].max_size == 4 &&
      tolist(aws_eks_node_group.this["default"].instance_types) == tolist(["t3.large"]) &&
      aws_eks_node_group.this["default"].capacity_type == "ON_DEMAND" &&
      aws_eks_node_group.this["default"].ami_type == "AL2023_x86_64_STANDARD" &&
      aws_eks_node_group.this["default"].version == "1.33"
    )
    error_message = "Node group defaults: 2/2/4 t3.large ON_DEMAND AL2023 on the cluster version."
  }

  assert {
    condition     = aws_eks_node_group.this["default"].update_config[0].max_unavailable_percentage == 33
    error_message = "Rolling updates must replace at most 33% of the nodes at a time."
  }

  assert {
    condition     = aws_eks_node_group.this["default"].labels["workload"] == "general"
    error_message = "Node labels must be applied to the node group."
  }

  assert {
    condition = (
      aws_eks_node_group.this["default"].tags["k8s.io/cluster-autoscaler/enabled"] == "true" &&
      aws_eks_node_group.this["default"].tags["k8s.io/cluster-autoscaler/shopfront-local"] == "owned" &&
      aws_eks_node_group.this["default"].tags["k8s.io/cluster-autoscaler/node-template/label/workload"] == "general" &&
      aws_eks_node_group.this["default"].tags["Team"] == "platform"
    )
    error_message = "Node groups need the cluster-autoscaler auto-discovery tags, one node-template label tag per label and var.tags."
  }

  assert {
    condition     = aws_eks_node_group.this["default"].launch_template[0].id == aws_launch_template.node["default"].id && aws_eks_node_group.this["default"].launch_template[0].version == "3"
    error_message = "Node group must use its launch template at the template's latest version."
  }

  assert {
    condition     = aws_launch_template.node["default"].metadata_options[0].http_tokens == "required" && aws_launch_template.node["default"].metadata_options[0].http_put_response_hop_limit == 1 && aws_launch_template.node["default"].metadata_options[0].http_endpoint == "enabled"
    error_message = "Nodes must require IMDSv2 with a hop limit of 1 (pods must not reach the node role)."
  }

  assert {
    condition = (
      aws_launch_template.node["default"].block_device_mappings[0].device_name == "/dev/xvda" &&
      aws_launch_template.node["default"].block_device_mappings[0].ebs[0].volume_type == "gp3" &&
      aws_launch_template.node["default"].block_device_mappings[0].ebs[0].encrypted == "true" &&
      aws_launch_template.node["default"].block_device_mappings[0].ebs[0].volume_size == 50
    )
    error_message = "Root volume must be an encrypted gp3 volume of disk_size_gb (50 by default)."
  }

  assert {
    condition     = toset([for t in aws_launch_template.node["default"].tag_specifications : t.resource_type]) == toset(["instance", "volume", "network-interface"]) && alltrue([for t in aws_launch_template.node["default"].tag_specifications : t.tags["Team"] == "platform"])
    error_message = "Instances, volumes and ENIs launched by the node group must be tagged."
  }

  # --- add-ons ---------------------------------------------------------------

  assert {
    condition     = keys(aws_eks_addon.before_compute) == ["vpc-cni"] && aws_eks_addon.before_compute["vpc-cni"].addon_version == "v1.20.0-eksbuild.1"
    error_message = "vpc-cni (and only it) must be installed before compute, pinned for 1.33."
  }

  assert {
    condition = tomap({ for k, a in aws_eks_addon.this : k => a.addon_version }) == tomap({
      "coredns"            = "v1.12.2-eksbuild.4"
      "kube-proxy"         = "v1.33.0-eksbuild.2"
      "aws-ebs-csi-driver" = "v1.46.0-eksbuild.1"
      "metrics-server"     = "v0.8.0-eksbuild.1"
    })
    error_message = "coredns, kube-proxy, aws-ebs-csi-driver and metrics-server must be installed after the node groups with the 1.33 pins."
  }

  assert {
    condition = alltrue([
      for a in concat(values(aws_eks_addon.before_compute), values(aws_eks_addon.this)) :
      a.resolve_conflicts_on_create == "OVERWRITE" && a.resolve_conflicts_on_update == "PRESERVE" && a.cluster_name == aws_eks_cluster.this.name
    ])
    error_message = "Add-ons must OVERWRITE on create and PRESERVE on update."
  }

  assert {
    condition     = aws_eks_addon.this["aws-ebs-csi-driver"].service_account_role_arn == aws_iam_role.irsa["ebs_csi_driver"].arn && aws_eks_addon.this["coredns"].service_account_role_arn == null
    error_message = "Only the EBS CSI driver add-on uses an IRSA role (its own)."
  }

  assert {
    condition = output.addon_versions == tomap({
      "vpc-cni"            = "v1.20.0-eksbuild.1"
      "coredns"            = "v1.12.2-eksbuild.4"
      "kube-proxy"         = "v1.33.0-eksbuild.2"
      "aws-ebs-csi-driver" = "v1.46.0-eksbuild.1"
      "metrics-server"     = "v0.8.0-eksbuild.1"
    })
    error_message = "addon_versions output must list the versions actually installed."
  }

  # --- OIDC provider and IRSA ------------------------------------------------

  assert {
    condition     = aws_iam_openid_connect_provider.this.url == "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" && tolist(aws_iam_openid_connect_provider.this.client_id_list) == tolist(["sts.amazonaws.com"])
    error_message = "OIDC provider must point at the cluster issuer with audience sts.amazonaws.com."
  }

  assert {
    condition = alltrue([
      for k, sa in {
        cluster_autoscaler           = "system:serviceaccount:kube-system:cluster-autoscaler"
        aws_load_balancer_controller = "system:serviceaccount:kube-system:aws-load-balancer-controller"
        ebs_csi_driver               = "system:serviceaccount:kube-system:ebs-csi-controller-sa"
        external_dns                 = "system:serviceaccount:external-dns:external-dns"
      } :
      jsondecode(aws_iam_role.irsa[k].assume_role_policy).Statement[0].Condition.StringEquals == {
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub" = sa
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud" = "sts.amazonaws.com"
      }
    ])
    error_message = "Each IRSA role must trust exactly its service account (StringEquals on :sub) and aud sts.amazonaws.com."
  }

  assert {
    condition = alltrue([
      for r in aws_iam_role.irsa :
      length(jsondecode(r.assume_role_policy).Statement) == 1 &&
      keys(jsondecode(r.assume_role_policy).Statement[0].Condition) == ["StringEquals"] &&
      jsondecode(r.assume_role_policy).Statement[0].Action == "sts:AssumeRoleWithWebIdentity" &&
      jsondecode(r.assume_role_policy).Statement[0].Principal.Federated == aws_iam_openid_connect_provider.this.arn
    ])
    error_message = "IRSA trust: one statement, federated principal = the cluster OIDC provider, AssumeRoleWithWebIdentity, StringEquals only."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.cluster_autoscaler.policy).Statement : s.Condition
      if contains(flatten([s.Action]), "autoscaling:SetDesiredCapacity")
      ]) == { StringEquals = { "aws:ResourceTag/k8s.io/cluster-autoscaler/shopfront-local" = "owned" } } && one([
      for s in jsondecode(aws_iam_role_policy.cluster_autoscaler.policy).Statement : s.Condition
      if contains(flatten([s.Action]), "autoscaling:TerminateInstanceInAutoScalingGroup")
    ]) != null
    error_message = "cluster-autoscaler may only scale/terminate ASGs tagged k8s.io/cluster-autoscaler/<cluster> = owned."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.cluster_autoscaler.policy).Statement :
      alltrue([for a in flatten([s.Action]) : can(regex("^(autoscaling|ec2):(Describe|Get)", a)) || a == "eks:DescribeNodegroup" || try(s.Condition.StringEquals["aws:ResourceTag/k8s.io/cluster-autoscaler/shopfront-local"] == "owned", false)])
    ])
    error_message = "cluster-autoscaler must have no unconditioned write action."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.external_dns.policy).Statement : s.Resource
      if contains(flatten([s.Action]), "route53:ChangeResourceRecordSets")
    ]) == ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]
    error_message = "ExternalDNS may change records only in external_dns_zone_arns."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.external_dns.policy).Statement :
      s.Resource != "*" || alltrue([for a in flatten([s.Action]) : startswith(a, "route53:List")])
    ])
    error_message = "ExternalDNS may only List* on \"*\"."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.aws_load_balancer_controller.role == aws_iam_role.irsa["aws_load_balancer_controller"].name && aws_iam_role_policy_attachment.aws_load_balancer_controller.policy_arn == aws_iam_policy.aws_load_balancer_controller.arn
    error_message = "The LB controller policy must be attached to the LB controller IRSA role."
  }

  assert {
    condition     = contains(flatten([for s in jsondecode(aws_iam_policy.aws_load_balancer_controller.policy).Statement : s.Action]), "elasticloadbalancing:AddListenerCertificates") && contains(flatten([for s in jsondecode(aws_iam_policy.aws_load_balancer_controller.policy).Statement : s.Action]), "ec2:GetSecurityGroupsForVpc")
    error_message = "The LB controller policy must be the upstream v2.x policy file."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.ebs_csi_driver.role == aws_iam_role.irsa["ebs_csi_driver"].name && aws_iam_role_policy_attachment.ebs_csi_driver.policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
    error_message = "The EBS CSI driver role must carry AmazonEBSCSIDriverPolicy."
  }

  # --- outputs ---------------------------------------------------------------

  assert {
    condition     = toset(keys(output.irsa_role_arns)) == toset(["cluster_autoscaler", "aws_load_balancer_controller", "ebs_csi_driver", "external_dns"]) && toset(keys(output.service_accounts)) == toset(keys(output.irsa_role_arns))
    error_message = "irsa_role_arns and service_accounts must be keyed by the four controllers."
  }

  assert {
    condition     = output.service_accounts.external_dns == { namespace = "external-dns", name = "external-dns" } && output.service_accounts.ebs_csi_driver == { namespace = "kube-system", name = "ebs-csi-controller-sa" }
    error_message = "service_accounts output must expose namespace and name per controller."
  }

  assert {
    condition     = output.node_group_names == tomap({ default = "default" }) && output.cluster_kms_key_arn == aws_kms_key.cluster.arn && output.oidc_issuer_url == "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    error_message = "Outputs must expose node group names, the secrets key and the issuer URL."
  }
}

run "emulated_aws_drops_unsupported_apis" {
  command = apply

  variables {
    emulated_aws = true
  }

  assert {
    condition     = length(aws_eks_addon.before_compute) == 0 && length(aws_eks_addon.this) == 0 && length(output.addon_versions) == 0
    error_message = "No add-ons when emulated_aws = true."
  }

  assert {
    condition     = length(aws_eks_access_entry.this) == 0 && length(aws_eks_access_policy_association.this) == 0
    error_message = "No access entries or policy associations when emulated_aws = true."
  }

  assert {
    condition     = length(aws_eks_node_group.this["default"].update_config) == 0
    error_message = "update_config must be omitted when emulated_aws = true."
  }

  assert {
    condition     = aws_eks_cluster.this.encryption_config[0].provider[0].key_arn == aws_kms_key.cluster.arn && aws_launch_template.node["default"].metadata_options[0].http_tokens == "required"
    error_message = "Everything else (encryption, IMDSv2, ...) must stay as for real AWS."
  }

  assert {
    condition     = length(aws_iam_role.irsa) == 4 && length(aws_eks_node_group.this) == 1 && aws_iam_openid_connect_provider.this.url == aws_eks_cluster.this.identity[0].oidc[0].issuer
    error_message = "IRSA roles, the OIDC provider and node groups do not depend on emulated_aws."
  }
}

run "emulated_aws_omits_access_config" {
  command = plan

  variables {
    emulated_aws = true
  }

  assert {
    condition     = length(aws_eks_cluster.this.access_config) == 0
    error_message = "access_config must be omitted when emulated_aws = true."
  }
}

run "private_only_no_creator_and_version_override" {
  command = apply

  variables {
    endpoint_public_access = false
    public_access_cidrs    = []
    cluster_creator_admin  = false
    readonly_role_arns     = []
    kubernetes_version     = "1.31"
    addon_versions = {
      coredns = "v1.11.4-eksbuild.99"
    }
    service_accounts = {
      external_dns = { namespace = "dns" }
    }
    external_dns_zone_arns = []
  }

  assert {
    condition     = !aws_eks_cluster.this.vpc_config[0].endpoint_public_access && aws_eks_cluster.this.vpc_config[0].endpoint_private_access
    error_message = "endpoint_public_access = false must leave only the private endpoint."
  }

  assert {
    condition     = keys(aws_eks_access_entry.this) == ["arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef"]
    error_message = "With cluster_creator_admin = false only admin_role_arns get entries."
  }

  assert {
    condition     = aws_eks_addon.this["coredns"].addon_version == "v1.11.4-eksbuild.99" && aws_eks_addon.this["kube-proxy"].addon_version == "v1.31.10-eksbuild.2" && aws_eks_cluster.this.version == "1.31"
    error_message = "addon_versions must override single pins; the rest follow kubernetes_version."
  }

  assert {
    condition     = jsondecode(aws_iam_role.irsa["external_dns"].assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"] == "system:serviceaccount:dns:external-dns"
    error_message = "A partially overridden service account must keep the default name."
  }

  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.external_dns.policy).Statement : s if contains(flatten([s.Action]), "route53:ChangeResourceRecordSets")]) == 0
    error_message = "Without zone ARNs ExternalDNS must not be able to change any record."
  }
}

run "creator_already_admin_is_not_duplicated" {
  command = apply

  variables {
    admin_role_arns    = ["arn:aws:iam::123456789012:role/shopfront-local-github-apply"]
    readonly_role_arns = []
  }

  assert {
    condition     = length(aws_eks_access_entry.this) == 1
    error_message = "The Terraform role listed in admin_role_arns must get a single access entry."
  }
}

run "multiple_node_groups" {
  command = apply

  variables {
    node_groups = {
      system = {}
      spot = {
        instance_types = ["m6i.large", "m5.large"]
        capacity_type  = "SPOT"
        min_size       = 0
        desired_size   = 0
        max_size       = 10
        disk_size_gb   = 100
        labels         = { lifecycle = "spot", team = "web" }
      }
    }
  }

  assert {
    condition     = aws_eks_node_group.this["spot"].capacity_type == "SPOT" && aws_eks_node_group.this["spot"].scaling_config[0].min_size == 0 && aws_eks_node_group.this["spot"].scaling_config[0].max_size == 10
    error_message = "Per-group capacity type and scaling must be honoured."
  }

  assert {
    condition     = aws_launch_template.node["spot"].block_device_mappings[0].ebs[0].volume_size == 100 && aws_launch_template.node["system"].block_device_mappings[0].ebs[0].volume_size == 50
    error_message = "Each group gets its own launch template with its disk size."
  }

  assert {
    condition     = aws_eks_node_group.this["spot"].tags["k8s.io/cluster-autoscaler/node-template/label/lifecycle"] == "spot" && aws_eks_node_group.this["spot"].tags["k8s.io/cluster-autoscaler/node-template/label/team"] == "web" && length([for k in keys(aws_eks_node_group.this["system"].tags) : k if startswith(k, "k8s.io/cluster-autoscaler/node-template/")]) == 0
    error_message = "node-template label tags must follow each group's labels."
  }
}

run "rejects_unsupported_kubernetes_version" {
  command = plan
  variables {
    kubernetes_version = "1.30"
  }
  expect_failures = [var.kubernetes_version]
}

run "rejects_node_group_min_above_max" {
  command = plan
  variables {
    node_groups = {
      default = { min_size = 5, desired_size = 5, max_size = 3 }
    }
  }
  expect_failures = [var.node_groups]
}

run "rejects_node_group_desired_below_min" {
  command = plan
  variables {
    node_groups = {
      default = { min_size = 3, desired_size = 1 }
    }
  }
  expect_failures = [var.node_groups]
}

run "rejects_bad_capacity_type" {
  command = plan
  variables {
    node_groups = {
      default = { capacity_type = "RESERVED" }
    }
  }
  expect_failures = [var.node_groups]
}

run "rejects_al2_ami_type" {
  command = plan
  variables {
    node_groups = {
      default = { ami_type = "AL2_x86_64" }
    }
  }
  expect_failures = [var.node_groups]
}

run "rejects_open_public_endpoint" {
  command = plan
  variables {
    public_access_cidrs = ["203.0.113.0/24", "0.0.0.0/0"]
  }
  expect_failures = [var.public_access_cidrs]
}

run "rejects_public_endpoint_without_cidrs" {
  command = plan
  variables {
    public_access_cidrs = []
  }
  expect_failures = [var.public_access_cidrs]
}

run "rejects_malformed_public_cidr" {
  command = plan
  variables {
    public_access_cidrs = ["203.0.113.0/33"]
  }
  expect_failures = [var.public_access_cidrs]
}

run "rejects_user_arn_as_admin" {
  command = plan
  variables {
    admin_role_arns = ["arn:aws:iam::123456789012:user/alice"]
  }
  expect_failures = [var.admin_role_arns]
}

run "rejects_assumed_role_session_as_readonly" {
  command = plan
  variables {
    readonly_role_arns = ["arn:aws:sts::123456789012:assumed-role/ReadOnly/alice"]
  }
  expect_failures = [var.readonly_role_arns]
}

run "rejects_role_both_admin_and_readonly" {
  command = plan
  variables {
    readonly_role_arns = ["arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef"]
  }
  expect_failures = [var.readonly_role_arns]
}

run "rejects_bad_log_retention" {
  command = plan
  variables {
    cluster_log_retention_days = 45
  }
  expect_failures = [var.cluster_log_retention_days]
}

run "rejects_unknown_addon" {
  command = plan
  variables {
    addon_versions = { "aws-efs-csi-driver" = "v2.1.0-eksbuild.1" }
  }
  expect_failures = [var.addon_versions]
}

run "rejects_wildcard_zone_arn" {
  command = plan
  variables {
    external_dns_zone_arns = ["arn:aws:route53:::hostedzone/*"]
  }
  expect_failures = [var.external_dns_zone_arns]
}

run "rejects_wildcard_service_account" {
  command = plan
  variables {
    service_accounts = {
      cluster_autoscaler = { name = "*" }
    }
  }
  expect_failures = [var.service_accounts]
}
