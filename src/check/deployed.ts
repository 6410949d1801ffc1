// What the states AWS gives a deployed endpoint or service-network VPC association mean (doctor): whether it carries
// traffic, and whether its state is a fault to report. One reading for the path's hop and for lint rule LS-RE4.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcEndpoint.html (State)
// https://docs.aws.amazon.com/vpc-lattice/latest/APIReference/API_GetServiceNetworkVpcAssociation.html (status)

/** Carries traffic: available, or changing settings (a failed update or deletion leaves it as it was). */
const CARRIES = /^(available|active|update_in_progress|update_failed|delete_failed)$/i;
/** On its way: it carries nothing yet, and nothing is wrong. */
const ON_ITS_WAY = /^(pending|create_in_progress|update_in_progress)$/i;

/** Whether traffic goes through it (no state: the templates' model, taken as deployed). */
export const carriesTraffic = (state: string | undefined): boolean => !state || CARRIES.test(state);

/** Whether its state is a fault to report: not available, and not on its way. */
export const stateIsFault = (state: string | undefined): boolean =>
  !!state && !/^(available|active)$/i.test(state) && !ON_ITS_WAY.test(state);
