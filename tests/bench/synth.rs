//! Synthetic exports for benchmarks: realistic Terraform plans and AWS Config
//! snapshots of any size, and Azure and GCP inputs (Terraform plans, an Azure
//! REST export, a Cloud Asset Inventory export) to measure every provider's
//! rules (deterministic; no randomness).
#![allow(dead_code)]

use std::fmt::Write as _;

/// A `terraform show -json` plan with `n` resources (a mix of S3 buckets,
/// security groups, instances, databases and KMS keys), about 1.1 KB each.
pub fn terraform_plan(n: usize) -> String {
    let mut planned = String::with_capacity(n * 600);
    let mut changes = String::with_capacity(n * 900);
    for i in 0..n {
        let (ty, values) = match i % 5 {
            0 => ("aws_s3_bucket", format!(r#"{{"bucket":"data-{i}","acl":"private","force_destroy":false,"tags":{{"env":"prod","team":"t{t}"}},"versioning":[{{"enabled":{v},"mfa_delete":false}}],"server_side_encryption_configuration":[{{"rule":[{{"apply_server_side_encryption_by_default":[{{"sse_algorithm":"aws:kms","kms_master_key_id":"arn:aws:kms:eu-west-1:111122223333:key/{i}"}}],"bucket_key_enabled":true}}]}}],"logging":[]}}"#, t = i % 7, v = i % 3 != 0)),
            1 => ("aws_security_group", format!(r#"{{"name":"sg-{i}","description":"service {i}","vpc_id":"vpc-{v}","ingress":[{{"from_port":443,"to_port":443,"protocol":"tcp","cidr_blocks":["0.0.0.0/0"],"ipv6_cidr_blocks":[],"description":"https","prefix_list_ids":[],"security_groups":[],"self":false}},{{"from_port":22,"to_port":22,"protocol":"tcp","cidr_blocks":["{c}"],"ipv6_cidr_blocks":[],"description":"ssh","prefix_list_ids":[],"security_groups":[],"self":false}}],"egress":[{{"from_port":0,"to_port":0,"protocol":"-1","cidr_blocks":["0.0.0.0/0"]}}],"tags":{{"env":"prod"}}}}"#, v = i % 13, c = if i % 4 == 0 { "0.0.0.0/0" } else { "10.0.0.0/8" })),
            2 => ("aws_instance", format!(r#"{{"ami":"ami-0abcdef{i}","instance_type":"t3.medium","associate_public_ip_address":{p},"monitoring":true,"metadata_options":[{{"http_endpoint":"enabled","http_tokens":"{tok}","http_put_response_hop_limit":1}}],"root_block_device":[{{"encrypted":true,"volume_size":50,"volume_type":"gp3"}}],"tags":{{"Name":"app-{i}"}}}}"#, p = i % 2 == 0, tok = if i % 3 == 0 { "optional" } else { "required" })),
            3 => ("aws_db_instance", format!(r#"{{"identifier":"db-{i}","engine":"postgres","engine_version":"15.4","instance_class":"db.t3.medium","allocated_storage":100,"storage_encrypted":{e},"publicly_accessible":false,"backup_retention_period":{b},"multi_az":true,"deletion_protection":true,"auto_minor_version_upgrade":true,"tags":{{"env":"prod"}}}}"#, e = i % 4 != 0, b = i % 10)),
            _ => ("aws_kms_key", format!(r#"{{"description":"key {i}","enable_key_rotation":{r},"deletion_window_in_days":30,"is_enabled":true,"key_usage":"ENCRYPT_DECRYPT","customer_master_key_spec":"SYMMETRIC_DEFAULT","tags":{{"env":"prod"}}}}"#, r = i % 2 == 0)),
        };
        let addr = format!("{ty}.r{i}");
        if i > 0 {
            planned.push(',');
            changes.push(',');
        }
        let _ = write!(planned, r#"{{"address":"{addr}","mode":"managed","type":"{ty}","name":"r{i}","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{values},"sensitive_values":{{}}}}"#);
        let _ = write!(changes, r#"{{"address":"{addr}","mode":"managed","type":"{ty}","name":"r{i}","provider_name":"registry.terraform.io/hashicorp/aws","change":{{"actions":["create"],"before":null,"after":{values},"after_unknown":{{"id":true,"arn":true}},"before_sensitive":false,"after_sensitive":{{}}}}}}"#);
    }
    format!(r#"{{"format_version":"1.2","terraform_version":"1.6.6","planned_values":{{"root_module":{{"resources":[{planned}]}}}},"resource_changes":[{changes}],"configuration":{{"provider_config":{{"aws":{{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws"}}}}}}}}"#)
}

/// An AWS Config delivered snapshot with `n` configuration items.
pub fn aws_config_snapshot(n: usize) -> String {
    let mut items = String::with_capacity(n * 1400);
    for i in 0..n {
        if i > 0 {
            items.push(',');
        }
        let (ty, id, conf, supp) = match i % 3 {
            0 => ("AWS::S3::Bucket", format!("bucket-{i}"), format!(r#"{{"name":"bucket-{i}","owner":{{"displayName":null,"id":"abc"}},"creationDate":"2024-01-01T00:00:00.000Z"}}"#), format!(r#"{{"BucketVersioningConfiguration":{{"status":"{v}","isMfaDeleteEnabled":null}},"BucketLoggingConfiguration":{{"destinationBucketName":null,"logFilePrefix":null}},"ServerSideEncryptionConfiguration":{{"rules":[{{"applyServerSideEncryptionByDefault":{{"sseAlgorithm":"AES256","kmsMasterKeyID":null}},"bucketKeyEnabled":false}}]}},"PublicAccessBlockConfiguration":{{"blockPublicAcls":true,"ignorePublicAcls":true,"blockPublicPolicy":true,"restrictPublicBuckets":true}}}}"#, v = if i % 2 == 0 { "Enabled" } else { "Off" })),
            1 => ("AWS::EC2::SecurityGroup", format!("sg-{i:08x}"), format!(r#"{{"description":"sg {i}","groupName":"sg-{i}","ipPermissions":[{{"fromPort":22,"ipProtocol":"tcp","ipv6Ranges":[],"prefixListIds":[],"toPort":22,"userIdGroupPairs":[],"ipv4Ranges":[{{"cidrIp":"{c}"}}],"ipRanges":["{c}"]}}],"ownerId":"111122223333","groupId":"sg-{i:08x}","ipPermissionsEgress":[],"tags":[],"vpcId":"vpc-1"}}"#, c = if i % 5 == 0 { "0.0.0.0/0" } else { "10.1.0.0/16" }), "{}".to_string()),
            _ => ("AWS::EC2::Instance", format!("i-{i:016x}"), format!(r#"{{"instanceId":"i-{i:016x}","instanceType":"m5.large","imageId":"ami-1","metadataOptions":{{"state":"applied","httpTokens":"{t}","httpPutResponseHopLimit":1,"httpEndpoint":"enabled"}},"publicIpAddress":{p},"monitoring":{{"state":"disabled"}},"state":{{"code":16,"name":"running"}}}}"#, t = if i % 2 == 0 { "required" } else { "optional" }, p = if i % 4 == 0 { "\"54.1.2.3\"" } else { "null" }), "{}".to_string()),
        };
        let _ = write!(items, r#"{{"relatedEvents":[],"relationships":[],"configuration":{conf},"supplementaryConfiguration":{supp},"tags":{{"env":"prod"}},"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-01-01T00:00:00.000Z","configurationStateId":{i},"awsAccountId":"111122223333","configurationItemStatus":"OK","resourceType":"{ty}","resourceId":"{id}","resourceName":"{id}","ARN":"arn:aws:x:eu-west-1:111122223333:{id}","awsRegion":"eu-west-1","availabilityZone":"Not Applicable","configurationStateMd5Hash":""}}"#);
    }
    format!(r#"{{"fileVersion":"1.0","configSnapshotId":"00000000-0000-0000-0000-000000000000","configurationItems":[{items}]}}"#)
}

/// One plan of `n` resources of one provider: `(type, after values)` for each
/// index, wrapped as `terraform show -json` writes it.
fn plan_of(provider: &str, n: usize, resource: impl Fn(usize) -> (&'static str, String)) -> String {
    let mut planned = String::with_capacity(n * 700);
    let mut changes = String::with_capacity(n * 1000);
    for i in 0..n {
        let (ty, values) = resource(i);
        let addr = format!("{ty}.r{i}");
        if i > 0 {
            planned.push(',');
            changes.push(',');
        }
        let _ = write!(planned, r#"{{"address":"{addr}","mode":"managed","type":"{ty}","name":"r{i}","provider_name":"registry.terraform.io/hashicorp/{provider}","schema_version":0,"values":{values},"sensitive_values":{{}}}}"#);
        let _ = write!(changes, r#"{{"address":"{addr}","mode":"managed","type":"{ty}","name":"r{i}","provider_name":"registry.terraform.io/hashicorp/{provider}","change":{{"actions":["create"],"before":null,"after":{values},"after_unknown":{{"id":true}},"before_sensitive":false,"after_sensitive":{{}}}}}}"#);
    }
    format!(r#"{{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{{"root_module":{{"resources":[{planned}]}}}},"resource_changes":[{changes}],"configuration":{{"provider_config":{{"{provider}":{{"name":"{provider}","full_name":"registry.terraform.io/hashicorp/{provider}"}}}}}}}}"#)
}

/// A plan with `n` azurerm resources: storage accounts, NSGs with inline
/// rules, Linux VMs, Key Vaults and SQL servers, about 1 KB each.
pub fn terraform_plan_azure(n: usize) -> String {
    plan_of("azurerm", n, |i| match i % 5 {
        0 => ("azurerm_storage_account", format!(r#"{{"name":"st{i}","resource_group_name":"rg-{g}","location":"westeurope","account_kind":"StorageV2","account_tier":"Standard","account_replication_type":"ZRS","https_traffic_only_enabled":true,"min_tls_version":"{tls}","allow_nested_items_to_be_public":{pubb},"shared_access_key_enabled":true,"public_network_access_enabled":true,"infrastructure_encryption_enabled":false,"cross_tenant_replication_enabled":false,"network_rules":[{{"default_action":"{act}","bypass":["AzureServices"],"ip_rules":[],"virtual_network_subnet_ids":[]}}],"blob_properties":[{{"delete_retention_policy":[{{"days":7}}],"versioning_enabled":{ver}}}],"tags":{{"env":"prod"}}}}"#, g = i % 13, tls = if i % 4 == 0 { "TLS1_0" } else { "TLS1_2" }, pubb = i % 3 == 0, act = if i % 2 == 0 { "Deny" } else { "Allow" }, ver = i % 2 == 0)),
        1 => ("azurerm_network_security_group", format!(r#"{{"name":"nsg-{i}","resource_group_name":"rg-{g}","location":"westeurope","security_rule":[{{"name":"https","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","source_port_range":"*","destination_port_range":"443","source_address_prefix":"Internet","destination_address_prefix":"*","source_address_prefixes":[],"destination_address_prefixes":[],"destination_port_ranges":[],"source_port_ranges":[]}},{{"name":"ssh","priority":110,"direction":"Inbound","access":"Allow","protocol":"Tcp","source_port_range":"*","destination_port_range":"22","source_address_prefix":"{src}","destination_address_prefix":"*","source_address_prefixes":[],"destination_address_prefixes":[],"destination_port_ranges":[],"source_port_ranges":[]}}],"tags":{{"env":"prod"}}}}"#, g = i % 13, src = if i % 4 == 1 { "*" } else { "10.0.0.0/8" })),
        2 => ("azurerm_linux_virtual_machine", format!(r#"{{"name":"vm-{i}","resource_group_name":"rg-{g}","location":"westeurope","size":"Standard_D2s_v5","admin_username":"azureuser","disable_password_authentication":{pw},"encryption_at_host_enabled":{host},"secure_boot_enabled":{sb},"vtpm_enabled":true,"network_interface_ids":["/subscriptions/s/resourceGroups/rg-{g}/providers/Microsoft.Network/networkInterfaces/nic-{i}"],"os_disk":[{{"caching":"ReadWrite","storage_account_type":"Premium_LRS","disk_encryption_set_id":null}}],"source_image_reference":[{{"publisher":"Canonical","offer":"ubuntu-24_04-lts","sku":"server","version":"latest"}}],"tags":{{"env":"prod"}}}}"#, g = i % 13, pw = i % 3 != 0, host = i % 2 == 0, sb = i % 4 != 0)),
        3 => ("azurerm_key_vault", format!(r#"{{"name":"kv-{i}","resource_group_name":"rg-{g}","location":"westeurope","tenant_id":"00000000-0000-0000-0000-000000000000","sku_name":"standard","purge_protection_enabled":{pp},"soft_delete_retention_days":90,"enable_rbac_authorization":true,"public_network_access_enabled":{pna},"network_acls":[{{"default_action":"Deny","bypass":"AzureServices","ip_rules":[],"virtual_network_subnet_ids":[]}}],"tags":{{"env":"prod"}}}}"#, g = i % 13, pp = i % 2 == 0, pna = i % 3 == 0)),
        _ => ("azurerm_mssql_server", format!(r#"{{"name":"sql-{i}","resource_group_name":"rg-{g}","location":"westeurope","version":"12.0","minimum_tls_version":"1.2","public_network_access_enabled":{pna},"administrator_login":"sqladmin","azuread_administrator":[{{"login_username":"dba","object_id":"00000000-0000-0000-0000-000000000001","azuread_authentication_only":{aad}}}],"tags":{{"env":"prod"}}}}"#, g = i % 13, pna = i % 2 == 0, aad = i % 3 == 0)),
    })
}

/// A plan with `n` google resources: buckets, firewall rules, instances,
/// Cloud SQL instances and KMS keys, about 1 KB each.
pub fn terraform_plan_gcp(n: usize) -> String {
    plan_of("google", n, |i| match i % 5 {
        0 => ("google_storage_bucket", format!(r#"{{"name":"bucket-{i}","location":"EU","project":"proj-{p}","force_destroy":false,"storage_class":"STANDARD","uniform_bucket_level_access":{ubla},"public_access_prevention":"{pap}","versioning":[{{"enabled":{v}}}],"logging":[],"retention_policy":[],"encryption":[],"labels":{{"env":"prod"}}}}"#, p = i % 7, ubla = i % 2 == 0, pap = if i % 3 == 0 { "inherited" } else { "enforced" }, v = i % 4 != 0)),
        1 => ("google_compute_firewall", format!(r#"{{"name":"fw-{i}","network":"default","project":"proj-{p}","direction":"INGRESS","priority":1000,"disabled":false,"source_ranges":["{src}"],"allow":[{{"protocol":"tcp","ports":["22","443"]}}],"deny":[],"log_config":[{{"metadata":"INCLUDE_ALL_METADATA"}}],"target_tags":["web"]}}"#, p = i % 7, src = if i % 4 == 1 { "0.0.0.0/0" } else { "10.0.0.0/8" })),
        2 => ("google_compute_instance", format!(r#"{{"name":"vm-{i}","machine_type":"e2-medium","zone":"europe-west1-b","project":"proj-{p}","can_ip_forward":false,"metadata":{{"enable-oslogin":"{os}","block-project-ssh-keys":"true"}},"shielded_instance_config":[{{"enable_secure_boot":{sb},"enable_vtpm":true,"enable_integrity_monitoring":true}}],"service_account":[{{"email":"app@proj-{p}.iam.gserviceaccount.com","scopes":["https://www.googleapis.com/auth/cloud-platform"]}}],"network_interface":[{{"network":"default","access_config":[]}}],"boot_disk":[{{"auto_delete":true,"initialize_params":[{{"image":"debian-12","size":20}}]}}],"labels":{{"env":"prod"}}}}"#, p = i % 7, os = if i % 3 == 0 { "FALSE" } else { "TRUE" }, sb = i % 2 == 0)),
        3 => ("google_sql_database_instance", format!(r#"{{"name":"sql-{i}","database_version":"POSTGRES_15","region":"europe-west1","project":"proj-{p}","deletion_protection":true,"settings":[{{"tier":"db-custom-2-7680","availability_type":"REGIONAL","backup_configuration":[{{"enabled":true,"point_in_time_recovery_enabled":{pitr}}}],"ip_configuration":[{{"ipv4_enabled":{ip},"ssl_mode":"ENCRYPTED_ONLY","authorized_networks":[]}}],"database_flags":[{{"name":"log_connections","value":"on"}}]}}]}}"#, p = i % 7, pitr = i % 2 == 0, ip = i % 3 == 0)),
        _ => ("google_kms_crypto_key", format!(r#"{{"name":"key-{i}","key_ring":"projects/proj-{p}/locations/europe/keyRings/ring","rotation_period":"{rot}","purpose":"ENCRYPT_DECRYPT","version_template":[{{"algorithm":"GOOGLE_SYMMETRIC_ENCRYPTION","protection_level":"SOFTWARE"}}],"labels":{{"env":"prod"}}}}"#, p = i % 7, rot = if i % 2 == 0 { "7776000s" } else { "31536000s" })),
    })
}

/// An Azure REST export (`{"value": [...]}`, as `GET .../resources` with
/// `$expand=properties` or `az … list` concatenated) with `n` records of the
/// same five types.
pub fn azure_rest(n: usize) -> String {
    let mut out = String::with_capacity(n * 1100);
    out.push_str(r#"{"value":["#);
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let rg = format!("/subscriptions/0f0e0d0c-1111-2222-3333-444455556666/resourceGroups/rg-{}", i % 13);
        let _ = match i % 5 {
            0 => write!(out, r#"{{"id":"{rg}/providers/Microsoft.Storage/storageAccounts/st{i}","name":"st{i}","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{{"name":"Standard_ZRS","tier":"Standard"}},"properties":{{"minimumTlsVersion":"{tls}","allowBlobPublicAccess":{pubb},"supportsHttpsTrafficOnly":true,"allowSharedKeyAccess":true,"publicNetworkAccess":"Enabled","networkAcls":{{"bypass":"AzureServices","virtualNetworkRules":[],"ipRules":[],"defaultAction":"{act}"}},"encryption":{{"services":{{"blob":{{"keyType":"Account","enabled":true}}}},"keySource":"Microsoft.Storage"}},"privateEndpointConnections":[],"accessTier":"Hot","provisioningState":"Succeeded"}},"tags":{{"env":"prod"}}}}"#, tls = if i % 4 == 0 { "TLS1_0" } else { "TLS1_2" }, pubb = i % 3 == 0, act = if i % 2 == 0 { "Deny" } else { "Allow" }),
            1 => write!(out, r#"{{"id":"{rg}/providers/Microsoft.Network/networkSecurityGroups/nsg-{i}","name":"nsg-{i}","type":"Microsoft.Network/networkSecurityGroups","location":"westeurope","properties":{{"provisioningState":"Succeeded","securityRules":[{{"name":"https","properties":{{"protocol":"Tcp","sourcePortRange":"*","destinationPortRange":"443","sourceAddressPrefix":"Internet","destinationAddressPrefix":"*","access":"Allow","priority":100,"direction":"Inbound"}}}},{{"name":"ssh","properties":{{"protocol":"Tcp","sourcePortRange":"*","destinationPortRange":"22","sourceAddressPrefix":"{src}","destinationAddressPrefix":"*","access":"Allow","priority":110,"direction":"Inbound"}}}}],"defaultSecurityRules":[]}}}}"#, src = if i % 4 == 1 { "*" } else { "10.0.0.0/8" }),
            2 => write!(out, r#"{{"id":"{rg}/providers/Microsoft.Compute/virtualMachines/vm-{i}","name":"vm-{i}","type":"Microsoft.Compute/virtualMachines","location":"westeurope","properties":{{"hardwareProfile":{{"vmSize":"Standard_D2s_v5"}},"securityProfile":{{"encryptionAtHost":{host},"securityType":"TrustedLaunch","uefiSettings":{{"secureBootEnabled":{sb},"vTpmEnabled":true}}}},"osProfile":{{"computerName":"vm-{i}","adminUsername":"azureuser","linuxConfiguration":{{"disablePasswordAuthentication":{pw}}}}},"storageProfile":{{"osDisk":{{"osType":"Linux","createOption":"FromImage","managedDisk":{{"storageAccountType":"Premium_LRS"}}}}}},"networkProfile":{{"networkInterfaces":[{{"id":"{rg}/providers/Microsoft.Network/networkInterfaces/nic-{i}"}}]}},"provisioningState":"Succeeded"}}}}"#, host = i % 2 == 0, sb = i % 4 != 0, pw = i % 3 != 0),
            3 => write!(out, r#"{{"id":"{rg}/providers/Microsoft.KeyVault/vaults/kv-{i}","name":"kv-{i}","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{{"sku":{{"family":"A","name":"standard"}},"tenantId":"00000000-0000-0000-0000-000000000000","enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":{pp},"enableRbacAuthorization":true,"publicNetworkAccess":"{pna}","networkAcls":{{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]}},"privateEndpointConnections":[],"provisioningState":"Succeeded"}}}}"#, pp = if i % 2 == 0 { "true" } else { "null" }, pna = if i % 3 == 0 { "Enabled" } else { "Disabled" }),
            _ => write!(out, r#"{{"id":"{rg}/providers/Microsoft.Sql/servers/sql-{i}","name":"sql-{i}","type":"Microsoft.Sql/servers","location":"westeurope","kind":"v12.0","properties":{{"administratorLogin":"sqladmin","version":"12.0","state":"Ready","minimalTlsVersion":"1.2","publicNetworkAccess":"{pna}","administrators":{{"administratorType":"ActiveDirectory","login":"dba","sid":"00000000-0000-0000-0000-000000000001","tenantId":"00000000-0000-0000-0000-000000000000","azureADOnlyAuthentication":{aad}}},"privateEndpointConnections":[]}}}}"#, pna = if i % 2 == 0 { "Enabled" } else { "Disabled" }, aad = i % 3 == 0),
        };
    }
    out.push_str("]}");
    out
}

/// A Cloud Asset Inventory export (`gcloud asset export` / `search-all-resources`
/// JSON array) with `n` assets: buckets, firewall rules, instances, Cloud SQL
/// instances and KMS keys.
pub fn gcp_cai(n: usize) -> String {
    let mut out = String::with_capacity(n * 1100);
    out.push('[');
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let p = i % 7;
        let (name, ty, data) = match i % 5 {
            0 => (format!("//storage.googleapis.com/bucket-{i}"), "storage.googleapis.com/Bucket", format!(r#"{{"name":"bucket-{i}","location":"EU","storageClass":"STANDARD","iamConfiguration":{{"uniformBucketLevelAccess":{{"enabled":{ubla}}},"publicAccessPrevention":"{pap}"}},"versioning":{{"enabled":{v}}},"labels":{{"env":"prod"}}}}"#, ubla = i % 2 == 0, pap = if i % 3 == 0 { "inherited" } else { "enforced" }, v = i % 4 != 0)),
            1 => (format!("//compute.googleapis.com/projects/proj-{p}/global/firewalls/fw-{i}"), "compute.googleapis.com/Firewall", format!(r#"{{"name":"fw-{i}","network":"https://www.googleapis.com/compute/v1/projects/proj-{p}/global/networks/default","direction":"INGRESS","priority":1000,"disabled":false,"sourceRanges":["{src}"],"allowed":[{{"IPProtocol":"tcp","ports":["22","443"]}}],"logConfig":{{"enable":true}}}}"#, src = if i % 4 == 1 { "0.0.0.0/0" } else { "10.0.0.0/8" })),
            2 => (format!("//compute.googleapis.com/projects/proj-{p}/zones/europe-west1-b/instances/vm-{i}"), "compute.googleapis.com/Instance", format!(r#"{{"name":"vm-{i}","machineType":"zones/europe-west1-b/machineTypes/e2-medium","canIpForward":false,"status":"RUNNING","metadata":{{"items":[{{"key":"enable-oslogin","value":"{os}"}},{{"key":"block-project-ssh-keys","value":"true"}}]}},"shieldedInstanceConfig":{{"enableSecureBoot":{sb},"enableVtpm":true,"enableIntegrityMonitoring":true}},"serviceAccounts":[{{"email":"app@proj-{p}.iam.gserviceaccount.com","scopes":["https://www.googleapis.com/auth/cloud-platform"]}}],"networkInterfaces":[{{"network":"default","accessConfigs":[]}}],"disks":[{{"boot":true,"autoDelete":true}}]}}"#, os = if i % 3 == 0 { "FALSE" } else { "TRUE" }, sb = i % 2 == 0)),
            3 => (format!("//cloudsql.googleapis.com/projects/proj-{p}/instances/sql-{i}"), "sqladmin.googleapis.com/Instance", format!(r#"{{"name":"sql-{i}","project":"proj-{p}","databaseVersion":"POSTGRES_15","region":"europe-west1","settings":{{"tier":"db-custom-2-7680","availabilityType":"REGIONAL","deletionProtectionEnabled":true,"backupConfiguration":{{"enabled":true,"pointInTimeRecoveryEnabled":{pitr}}},"ipConfiguration":{{"ipv4Enabled":{ip},"sslMode":"ENCRYPTED_ONLY","authorizedNetworks":[]}},"databaseFlags":[{{"name":"log_connections","value":"on"}}]}},"ipAddresses":[]}}"#, pitr = i % 2 == 0, ip = i % 3 == 0)),
            _ => (format!("//cloudkms.googleapis.com/projects/proj-{p}/locations/europe/keyRings/ring/cryptoKeys/key-{i}"), "cloudkms.googleapis.com/CryptoKey", format!(r#"{{"name":"projects/proj-{p}/locations/europe/keyRings/ring/cryptoKeys/key-{i}","purpose":"ENCRYPT_DECRYPT","rotationPeriod":"{rot}","nextRotationTime":"2027-01-01T00:00:00Z","versionTemplate":{{"algorithm":"GOOGLE_SYMMETRIC_ENCRYPTION","protectionLevel":"SOFTWARE"}},"primary":{{"state":"ENABLED"}}}}"#, rot = if i % 2 == 0 { "7776000s" } else { "31536000s" })),
        };
        let _ = write!(out, r#"{{"name":"{name}","asset_type":"{ty}","ancestors":["projects/10{p}","organizations/1"],"resource":{{"version":"v1","discovery_document_uri":"https://www.googleapis.com/discovery/v1/apis/x/v1/rest","discovery_name":"X","parent":"//cloudresourcemanager.googleapis.com/projects/10{p}","data":{data}}}}}"#);
    }
    out.push(']');
    out
}
